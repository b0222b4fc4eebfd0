package org.coursebot.chat.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
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
        String client = context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
        if (inFlight.merge(client, 1, Integer::sum) > config.maxRequestsPerClient()) {
            release(client);
            respond(context, Problem.of("too-many-requests-in-flight", "Too many requests", 429, "at most "
                    + config.maxRequestsPerClient() + " requests at once from one client; wait for one to finish", Map.of()));
            return;
        }
        long timer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> {
            if (!context.request().isEnded() && !context.response().ended()) {
                respond(context, Problem.of("request-timeout", "Request timeout", 408, "the request's body did not arrive within "
                        + config.bodyTimeout().toSeconds() + " s", Map.of()));
                if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                    context.request().connection().close(); // HTTP/2: only this stream is over
                }
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

    private static void respond(RoutingContext context, Problem problem) {
        if (context.response().headWritten()) {
            return;
        }
        context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(io.vertx.core.json.Json.encode(problem));
    }

    /** Requests in flight per client, for tests. */
    int inFlight(String client) {
        return inFlight.getOrDefault(client, 0);
    }
}
