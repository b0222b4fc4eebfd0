package org.coursebot.chat.api;

import java.util.Map;
import java.util.OptionalLong;

import io.smallrye.mutiny.Uni;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.coursebot.chat.limits.ClientRateLimiter;
import org.coursebot.common.Problem;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A token bucket per client address on /api ({@link ClientRateLimiter}, shared by every instance); 429 with
 * Retry-After when it is empty.
 */
public class RateLimitFilter {

    private final ClientRateLimiter limiter;

    public RateLimitFilter(ClientRateLimiter limiter) {
        this.limiter = limiter;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!limiter.enabled() || !context.getUriInfo().getPath().startsWith("/api/") || "OPTIONS".equals(context.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        return limiter.take(client(request)).map(refused -> refused.isEmpty() ? null : refusal(refused));
    }

    private Response refusal(OptionalLong refused) {
        long retryAfter = refused.getAsLong();
        Problem problem = Problem.of("rate-limited", "Too many requests", 429,
                "at most " + limiter.requestsPerMinute() + " questions a minute; try again in " + retryAfter + " s",
                Map.of("retryAfterSeconds", retryAfter));
        return Response.status(429).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }

    /** The client's address (X-Forwarded-For's, from a trusted proxy): what the per-client limits count by. */
    public static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
