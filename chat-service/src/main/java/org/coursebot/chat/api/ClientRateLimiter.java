package org.coursebot.chat.api;

import java.time.Duration;
import java.util.OptionalLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A token bucket per client ({@link RateLimitConfig}): /api's clients are addresses ({@link RateLimitFilter}), /v1's
 * are API keys by name when keys are configured (org.coursebot.chat.v1), addresses otherwise.
 */
@ApplicationScoped
public class ClientRateLimiter {

    private final RateLimitConfig config;
    // Bounded and expiring: a flood of distinct addresses cannot grow it without limit.
    private final Cache<String, Bucket> buckets;

    public ClientRateLimiter(RateLimitConfig config) {
        this.config = config;
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxClients()).expireAfterAccess(config.idleExpiry()).build();
    }

    /** Takes one request from {@code client}'s bucket: empty if allowed, else the seconds until one is (at least 1). */
    public OptionalLong take(String client) {
        return take(client, config.requestsPerMinute(), config.burst());
    }

    /**
     * The same with a client's own limits (an API key of /v1: org.coursebot.chat.v1.ApiConfig.Rate). A client's
     * bucket keeps the limits it was made with until it is forgotten ({@code idle-expiry}).
     */
    public OptionalLong take(String client, int requestsPerMinute, int burst) {
        if (!config.enabled()) {
            return OptionalLong.empty();
        }
        ConsumptionProbe probe = buckets.get(client, key -> newBucket(requestsPerMinute, burst)).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }

    /** Whether requests are limited at all. */
    public boolean enabled() {
        return config.enabled();
    }

    /** Sustained requests a minute per client, for the refusal's message. */
    public int requestsPerMinute() {
        return config.requestsPerMinute();
    }

    private static Bucket newBucket(int requestsPerMinute, int burst) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(requestsPerMinute, Duration.ofMinutes(1)).build()).build();
    }
}
