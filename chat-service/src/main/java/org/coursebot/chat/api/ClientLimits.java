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
 * a problem detail; the body timeout also closes the connection, as the rest of that body is not wanted. /v1 (the
 * OpenAI-compatible API) installs the same guard with its own error body; its requests count with /api's.
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

    /** How a refusal is written: /api's problem details, or another API's error body. */
    @FunctionalInterface
    public interface Refusal {
        void end(RoutingContext context, int status, String slug, String title, String detail, boolean closeConnection);
    }

    private static final Refusal PROBLEM = (context, status, slug, title, detail, close) ->
            Problem.of(slug, title, status, detail, Map.of()).end(context, close);

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(context -> guard(context, PROBLEM));
    }

    /** Admits the request (context.next()) or answers it with {@code refusal}. */
    public void guard(RoutingContext context, Refusal refusal) {
        String client = RateLimitFilter.client(context.request());
        if (inFlight.merge(client, 1, Integer::sum) > config.maxRequestsPerClient()) {
            release(client);
            refusal.end(context, 429, "too-many-requests-in-flight", "Too many requests", "at most "
                    + config.maxRequestsPerClient() + " requests at once from one client; wait for one to finish", false);
            return;
        }
        long timer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> {
            if (!context.request().isEnded() && !context.response().ended()) {
                refusal.end(context, 408, "request-timeout", "Request timeout", "the request's body did not arrive within "
                        + config.bodyTimeout().toSeconds() + " s", true);
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
