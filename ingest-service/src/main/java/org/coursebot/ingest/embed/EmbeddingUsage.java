package org.coursebot.ingest.embed;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** What one run's embedding cost: thread-safe, so concurrent batches of a run may share it. */
public final class EmbeddingUsage {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong inputs = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong retryWaitMillis = new AtomicLong();
    private final AtomicLong rateLimitWaitMillis = new AtomicLong();
    private final DoubleAdder costUsd = new DoubleAdder();

    void request(Duration paced) {
        requests.incrementAndGet();
        rateLimitWaitMillis.addAndGet(paced.toMillis());
    }

    void embedded(int inputCount, int tokenCount, double cost) {
        inputs.addAndGet(inputCount);
        tokens.addAndGet(tokenCount);
        costUsd.add(cost);
    }

    void retry(Duration wait) {
        retries.incrementAndGet();
        retryWaitMillis.addAndGet(wait.toMillis());
    }

    /** Requests sent, retries included. */
    public long requests() {
        return requests.get();
    }

    /** Texts that got a vector. */
    public long inputs() {
        return inputs.get();
    }

    /** Tokens billed (the API's usage.prompt_tokens; our count for the local model). */
    public long tokens() {
        return tokens.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Time spent waiting between attempts. */
    public Duration retryWait() {
        return Duration.ofMillis(retryWaitMillis.get());
    }

    /** Time spent waiting for the client-side rate limiter. */
    public Duration rateLimitWait() {
        return Duration.ofMillis(rateLimitWaitMillis.get());
    }

    public double estimatedCostUsd() {
        return costUsd.sum();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d requests, %d inputs, %d tokens, $%.6f, %d retries (%d ms waiting), %d ms rate-limited",
                requests(), inputs(), tokens(), estimatedCostUsd(), retries(), retryWait().toMillis(),
                rateLimitWait().toMillis());
    }
}
