package org.coursebot.chat.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one client may hold of the service, whatever its pace (see {@link ClientLimits}). A connection that
 * stays silent is closed after {@code coursebot.http.idle-timeout} (wired into quarkus.http.idle-timeout).
 */
@ConfigMapping(prefix = "coursebot.http")
public interface ClientLimitsConfig {

    /** Requests to /api one client address may have in flight at once; more get 429. */
    @WithDefault("8")
    int maxRequestsPerClient();

    /** Longest time a client may take to send a request's body; then 408 and the connection is closed. */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** A connection with nothing sent or received for this long is closed. */
    @WithDefault("30s")
    Duration idleTimeout();
}
