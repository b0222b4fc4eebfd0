package org.coursebot.chat.limits;

import java.time.Duration;
import java.util.OptionalLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * The process's own token buckets, one per client: what {@link ClientRateLimiter} takes from when the limits are not
 * shared, or when the database that shares them cannot answer. A client's bucket keeps the limits it was made with
 * until it is forgotten ({@code idle-expiry}).
 */
final class LocalBuckets {

    // Bounded and expiring: a flood of distinct addresses cannot grow it without limit.
    private final Cache<String, Bucket> buckets;

    LocalBuckets(RateLimitConfig config) {
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxClients()).expireAfterAccess(config.idleExpiry()).build();
    }

    /** Takes one request from {@code client}'s bucket: empty if allowed, else the seconds until one is (at least 1). */
    OptionalLong take(String client, int requestsPerMinute, int burst) {
        ConsumptionProbe probe = buckets.get(client, key -> newBucket(requestsPerMinute, burst)).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }

    private static Bucket newBucket(int requestsPerMinute, int burst) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(requestsPerMinute, Duration.ofMinutes(1)).build()).build();
    }
}
