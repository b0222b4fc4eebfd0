package org.coursebot.chat.api;

import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.coursebot.common.Problem;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** A token bucket per client address on /api; 429 with Retry-After when it is empty. */
public class RateLimitFilter {

    private final RateLimitConfig config;
    // Bounded and expiring: a flood of distinct addresses cannot grow it without limit.
    private final Cache<String, Bucket> buckets;

    public RateLimitFilter(RateLimitConfig config) {
        this.config = config;
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxClients()).expireAfterAccess(config.idleExpiry()).build();
    }

    @ServerRequestFilter
    public Optional<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!config.enabled() || !context.getUriInfo().getPath().startsWith("/api/") || "OPTIONS".equals(context.getMethod())) {
            return Optional.empty();
        }
        String client = client(request);
        ConsumptionProbe probe = buckets.get(client, key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        Problem problem = Problem.of("rate-limited", "Too many requests", 429,
                "at most " + config.requestsPerMinute() + " questions a minute; try again in " + retryAfter + " s",
                Map.of("retryAfterSeconds", retryAfter));
        return Optional.of(Response.status(429).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, retryAfter).build());
    }

    /** The client's address (X-Forwarded-For's, from a trusted proxy): what the per-client limits count by. */
    static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(config.burst())
                .refillGreedy(config.requestsPerMinute(), java.time.Duration.ofMinutes(1)).build()).build();
    }
}
