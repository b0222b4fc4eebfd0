package org.coursebot.chat.limits;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-client limits on /api and /v1, which protect the OpenAI bill ({@link ClientRateLimiter}). The client is the
 * remote address, which Quarkus takes from X-Forwarded-For only when the request comes from a trusted proxy
 * (quarkus.http.proxy.*); on /v1 with API keys, the key.
 */
@ConfigMapping(prefix = "coursebot.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** Sustained requests per minute per client. */
    @WithDefault("20")
    int requestsPerMinute();

    /** Requests a client may make at once before the sustained rate applies. */
    @WithDefault("5")
    int burst();

    /** Clients remembered at most; the least recently seen are forgotten first. */
    @WithDefault("100000")
    int maxClients();

    /** A client idle this long is forgotten (its bucket would be full again anyway). */
    @WithDefault("10m")
    Duration idleExpiry();

    /**
     * Whether the buckets live in PostgreSQL, shared by every instance on the database (LIMITS_DATABASE_URL, else
     * INSIGHTS_DATABASE_URL, gives the role); false, or no such URL, each process counts alone.
     */
    @WithDefault("true")
    boolean shared();

    /**
     * Longest wait for the shared bucket's answer (also the statement's timeout in the database); past it, or on
     * any error, the request is counted in the process's own bucket instead.
     */
    @WithDefault("250ms")
    Duration sharedTimeout();

    /** After a shared check failed, how long the process counts alone before it asks the database again. */
    @WithDefault("5s")
    Duration fallbackRetry();
}
