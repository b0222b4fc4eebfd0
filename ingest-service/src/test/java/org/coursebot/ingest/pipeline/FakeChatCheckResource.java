package org.coursebot.ingest.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * chat-service's {@code GET /admin/spaces/{id}/embeddable} as ingest-service sees it, on 127.0.0.1: it answers 200, or
 * the 409 problem chat-service sends when it cannot embed with a space ({@link #refuse}). Records the paths asked and
 * the Authorization header.
 */
public class FakeChatCheckResource implements QuarkusTestResourceLifecycleManager {

    static volatile String refuse;
    static final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/admin/spaces/", exchange -> {
            asked.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            String reason = refuse;
            byte[] body = (reason == null ? "{\"embeddable\":true}"
                    : "{\"type\":\"https://coursebot.dev/problems/space-not-embeddable\",\"status\":409,\"detail\":\""
                            + reason + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reason == null ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(reason == null ? 200 : 409, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return Map.of("coursebot.spaces.chat-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "coursebot.spaces.retire-grace", "2s", "coursebot.ingest.build-step", "16");
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
