package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, never shorter than what the server asked for (Retry-After). */
public record RetryBackoff(int maxAttempts, Duration initial, Duration max) {

    public RetryBackoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        double base = initial.toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
        // +-20% jitter keeps many clients that failed together from retrying together.
        double jittered = Math.min(max.toMillis(), base) * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        Duration backoff = Duration.ofMillis((long) Math.min(max.toMillis(), jittered));
        return retryAfter.filter(r -> r.compareTo(backoff) > 0).orElse(backoff);
    }
}
