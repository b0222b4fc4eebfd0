package org.coursebot.chat.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.common.Problem;

/**
 * Slow and greedy clients, before anything else sees the request: a client address may have at most
 * {@code max-requests-per-client} requests to /api in flight (a client that sends its body or reads its answer a
 * byte at a time holds one each), and a request's body must arrive within {@code body-timeout}. Both answer with
 * a problem detail; the body timeout also closes the connection, as the rest of that body is not wanted.
 */
@ApplicationScoped
public class ClientLimits {

    private final ClientLimitsConfig config;
    private final Vertx vertx;
    // Only clients with a request in flight have an entry: bounded by the connections the server accepts.
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    public ClientLimits(ClientLimitsConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        String client = RateLimitFilter.client(context.request());
        if (inFlight.merge(client, 1, Integer::sum) > config.maxRequestsPerClient()) {
            release(client);
            Problem.of("too-many-requests-in-flight", "Too many requests", 429, "at most " + config.maxRequestsPerClient()
                    + " requests at once from one client; wait for one to finish", Map.of()).end(context, false);
            return;
        }
        long timer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> {
            if (!context.request().isEnded() && !context.response().ended()) {
                Problem.of("request-timeout", "Request timeout", 408, "the request's body did not arrive within "
                        + config.bodyTimeout().toSeconds() + " s", Map.of()).end(context, true);
            }
        });
        context.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            release(client);
        });
        context.next();
    }

    private void release(String client) {
        inFlight.computeIfPresent(client, (key, count) -> count == 1 ? null : count - 1);
    }
}
