package org.coursebot.chat.api;

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
}
