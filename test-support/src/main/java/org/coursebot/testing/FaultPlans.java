package org.coursebot.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.coursebot.testing.FakeOpenAiServer.Failure;

/**
 * Ready-made plans for {@link FakeOpenAiServer#faultPlan}: functions of the embeddings request number (from 1,
 * retries counted) that answer the failure for that request, or null for a normal answer. Each is a pure
 * function of the number, so a run gets the same faults however its requests interleave.
 */
public final class FaultPlans {

    /** What {@link #seededRandom} picks from: the transient faults a client must ride out. */
    public static final List<Failure> TRANSIENT = List.of(Failure.rateLimited(1), Failure.status(500),
            Failure.status(502), Failure.status(503), Failure.reset(), Failure.malformed());

    private FaultPlans() {
    }

    /** Requests n, 2n, 3n, … get {@code failure}. */
    public static IntFunction<Failure> everyNth(int n, Failure failure) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        return sequence -> sequence % n == 0 ? failure : null;
    }

    /** Requests {@code first} to {@code first + count - 1} answer 500, 502, 503, 500, … in turn. */
    public static IntFunction<Failure> burst(int first, int count) {
        List<Failure> errors = List.of(Failure.status(500), Failure.status(502), Failure.status(503));
        return sequence -> sequence >= first && sequence < first + count
                ? errors.get((sequence - first) % errors.size())
                : null;
    }

    /**
     * Each request gets, with probability {@code rate}, one of {@link #TRANSIENT} (429 with Retry-After 1, 500,
     * 502, 503, a reset mid-response, malformed JSON), chosen uniformly; the same seed gives the same faults.
     */
    public static IntFunction<Failure> seededRandom(long seed, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be in [0, 1], got " + rate);
        }
        return sequence -> {
            // A generator per request number, seeded from both: the plan does not depend on the order of calls.
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sequence);
            return random.nextDouble() < rate ? TRANSIENT.get(random.nextInt(TRANSIENT.size())) : null;
        };
    }
}
