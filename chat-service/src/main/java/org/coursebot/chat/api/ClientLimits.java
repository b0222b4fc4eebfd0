package org.coursebot.chat.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.ConnectionBase;
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

    public ClientLimits(ClientLimitsConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        Gauge.builder("coursebot.http.requests.in.flight", inFlight,
                        counts -> counts.values().stream().mapToInt(Integer::intValue).sum())
                .description("requests to /api and /v1 admitted by the per-client limit and not yet finished")
                .register(registry);
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
        AtomicBoolean released = new AtomicBoolean();
        Runnable done = () -> {
            if (released.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                release(client);
            }
        };
        // The routing context's end handlers come from the response's end, exception and close handlers, and
        // Vert.x 4.5 calls none of them for a response that was reset (Http1xServerResponse.close() marks it closed
        // before its connection's close reaches it). RESTEasy Reactive resets an SSE response whose write failed: a
        // student who closed the tab mid-answer. So the connection's own close releases the request as well;
        // without it, each such answer kept its client's count up for good and its request for the body timeout.
        Runnable forgetClose = onConnectionClosed(context, done);
        context.addEndHandler(ended -> {
            forgetClose.run();
            done.run();
        });
        context.next();
    }

    /**
     * Runs {@code action} when the request's connection closes; the returned Runnable removes it (a kept-alive
     * connection serves many requests, and each must not leave a listener behind).
     */
    private static Runnable onConnectionClosed(RoutingContext context, Runnable action) {
        if (!(context.request().connection() instanceof ConnectionBase connection)) {
            return () -> {
            };
        }
        ChannelFuture closed = connection.channel().closeFuture();
        GenericFutureListener<Future<? super Void>> listener = f -> action.run();
        closed.addListener(listener);
        return () -> closed.removeListener(listener);
    }

    private void release(String client) {
        inFlight.computeIfPresent(client, (key, count) -> count == 1 ? null : count - 1);
    }
}
