package org.coursebot.common;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/**
 * Requests the HTTP codec refuses before any route runs get a problem detail, not its bare status: a request line
 * over {@code quarkus.http.limits.max-initial-line-length} (414), headers over {@code max-header-size} (431), bytes
 * that are not an HTTP request (400). {@link HttpLimits} answers everything below those ceilings; this answers what
 * is past them, with the same problem, so a client sees one limit whichever layer refused it.
 *
 * <p>Vert.x has the hook, {@link HttpServer#invalidRequestHandler}, but it is read when a server starts to listen,
 * and Quarkus 3.33 creates and starts its servers without exposing them (quarkusio/quarkus#55082; the pending
 * quarkusio/quarkus#55148 installs one for the access log only). So once they listen, the handler is set on each of
 * Quarkus's HTTP servers and Vert.x's own connection set-up is built again from it, by reflection on internals
 * (the field of Quarkus's verticle that holds its server; five fields of Vert.x 4.5's {@code TCPServerBase} and
 * {@code HttpServerImpl#childHandler}; registered for a native image, not tried in one). If any is missing, e.g. after an upgrade, this logs a warning and
 * Vert.x's bare answers stay; {@code ClientLimitsTests} and {@code ServiceEndpointsTests} fail then. Connections
 * accepted in the moment between the servers listening and this running (well under a second) get the bare answers.
 */
@ApplicationScoped
@RegisterForReflection(targets = {HttpServerImpl.class, TCPServerBase.class}, classNames = InvalidRequestProblems.QUARKUS_VERTICLE)
public class InvalidRequestProblems {

    static final String QUARKUS_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";

    private final HttpLimits limits;

    public InvalidRequestProblems(HttpLimits limits) {
        this.limits = limits;
    }

    void install(@ObservesAsync HttpServerStart started, Vertx vertx) {
        install(vertx, 100);
    }

    /**
     * Quarkus reports its servers started before Vert.x lists their deployment (once every instance has started), so
     * a look that finds none looks again, every 50 ms for up to {@code tries} times.
     */
    private void install(Vertx vertx, int tries) {
        int servers = 0;
        try {
            VertxInternal internal = (VertxInternal) vertx;
            for (String id : vertx.deploymentIDs()) {
                var deployment = internal.getDeployment(id);
                for (var verticle : deployment == null ? Set.<Verticle>of() : deployment.getVerticles()) {
                    if (verticle.getClass().getName().equals(QUARKUS_VERTICLE)
                            && field(verticle.getClass(), "httpServer").get(verticle) instanceof HttpServerImpl server) {
                        install(server);
                        servers++;
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
            return;
        }
        if (servers == 0 && tries > 1) {
            vertx.setTimer(50, id -> install(vertx, tries - 1));
        } else if (servers == 0) {
            warn(new IllegalStateException("Quarkus' HTTP servers were not found"));
        }
    }

    /**
     * Sets the handler and rebuilds the server's channel set-up, which took the old one when it began listening; on
     * the server's event loop, where that set-up is read for each new connection.
     */
    private void install(HttpServerImpl server) throws ReflectiveOperationException {
        ContextInternal context = (ContextInternal) field(TCPServerBase.class, "listenContext").get(server);
        TCPServerBase actual = (TCPServerBase) field(TCPServerBase.class, "actualServer").get(server);
        if (context == null || actual == null) {
            throw new IllegalStateException("an HTTP server is not listening");
        }
        NetServerOptions options = (NetServerOptions) field(TCPServerBase.class, "options").get(server);
        var shaping = (GlobalTrafficShapingHandler) field(TCPServerBase.class, "trafficShapingHandler").get(actual);
        Method childHandler = HttpServerImpl.class.getDeclaredMethod("childHandler", ContextInternal.class,
                SocketAddress.class, GlobalTrafficShapingHandler.class);
        childHandler.setAccessible(true);
        Field current = field(TCPServerBase.class, "childHandler");
        context.runOnContext(v -> {
            try {
                server.invalidRequestHandler(this::answer);
                current.set(server, childHandler.invoke(server, context,
                        SocketAddress.inetSocketAddress(server.actualPort(), options.getHost()), shaping));
                Log.debugf("problem details for requests the HTTP codec refuses, on port %d", server.actualPort());
            } catch (ReflectiveOperationException | RuntimeException e) {
                warn(e);
            }
        });
    }

    private static void warn(Exception e) {
        Log.warnf("requests the HTTP codec refuses keep their bare status, without a problem detail: %s", e.toString());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** Runs on the event loop; Vert.x closes the connection once the answer is written. */
    private void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = limits.uriTooLong();
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = limits.headersTooLarge();
        } else {
            problem = Problem.of("bad-request", "Bad Request", 400, "the request is not valid HTTP/1.1", Map.of());
        }
        problem.end(request, true);
    }
}
