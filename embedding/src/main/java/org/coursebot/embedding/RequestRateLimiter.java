package org.coursebot.embedding;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Client-side requests/minute and tokens/minute limits as two token buckets that refill continuously.
 * {@link #reserve} takes the budget at once and says how long to wait before sending, so concurrent
 * callers queue up fairly without holding a thread.
 */
public final class RequestRateLimiter {

    private final Bucket requests;
    private final Bucket tokens;
    private final LongSupplier nanoClock;

    public RequestRateLimiter(int requestsPerMinute, int tokensPerMinute) {
        this(requestsPerMinute, tokensPerMinute, System::nanoTime);
    }

    RequestRateLimiter(int requestsPerMinute, int tokensPerMinute, LongSupplier nanoClock) {
        long now = nanoClock.getAsLong();
        this.requests = new Bucket(requestsPerMinute, now);
        this.tokens = new Bucket(tokensPerMinute, now);
        this.nanoClock = nanoClock;
    }

    /** Reserves one request of {@code tokenCount} tokens; the result is how long to wait before sending it. */
    public synchronized Duration reserve(int tokenCount) {
        long now = nanoClock.getAsLong();
        long wait = Math.max(requests.take(1, now), tokens.take(Math.min(tokenCount, tokens.capacity), now));
        return Duration.ofNanos(wait);
    }

    private static final class Bucket {
        final long capacity;
        final double perNano;
        double available;
        long updated;

        Bucket(long perMinute, long now) {
            if (perMinute < 1) {
                throw new IllegalArgumentException("rate limits must be positive");
            }
            this.capacity = perMinute;
            this.perNano = perMinute / 60e9;
            this.available = perMinute;
            this.updated = now;
        }

        /** Takes {@code amount} (the balance may go negative) and returns the nanoseconds until it is covered. */
        long take(long amount, long now) {
            available = Math.min(capacity, available + (now - updated) * perNano);
            updated = now;
            available -= amount;
            return available >= 0 ? 0 : (long) Math.ceil(-available / perNano);
        }
    }
}
