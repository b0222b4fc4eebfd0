package org.coursebot.ingest.crawl;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/** A small web site served by a test on 127.0.0.1 (port 0); records every request it receives. */
public final class TestSite implements AutoCloseable {

    /** One request as the server saw it. */
    public record Seen(String uri, Map<String, String> headers) {
    }

    private final Map<String, Consumer<HttpServerRequest>> routes = new ConcurrentHashMap<>();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public TestSite(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(request -> {
            io.vertx.core.http.HttpServerRequest bare = request.getDelegate();
            Map<String, String> headers = new ConcurrentHashMap<>();
            bare.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            requests.add(new Seen(bare.uri(), headers));
            routes.getOrDefault(bare.path(), r -> r.response().setStatusCode(404).end("not found")).accept(bare);
        }).listen(0, "127.0.0.1").await().indefinitely();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public TestSite route(String path, Consumer<HttpServerRequest> handler) {
        routes.put(path, handler);
        return this;
    }

    public TestSite html(String path, String html) {
        return route(path, r -> r.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html));
    }

    public TestSite text(String path, String contentType, String body) {
        return route(path, r -> r.response().putHeader("Content-Type", contentType).end(body));
    }

    public TestSite redirect(String path, int status, String location) {
        return route(path, r -> r.response().setStatusCode(status).putHeader("Location", location).end());
    }

    public TestSite bytes(String path, String contentType, byte[] body) {
        return route(path, r -> {
            if (contentType != null) {
                r.response().putHeader("Content-Type", contentType);
            }
            r.response().end(io.vertx.core.buffer.Buffer.buffer(body));
        });
    }

    /** A page that answers 304 when the request carries its ETag back. */
    public TestSite withEtag(String path, String etag, String html) {
        return route(path, r -> {
            if (etag.equals(r.getHeader("If-None-Match"))) {
                r.response().setStatusCode(304).putHeader("ETag", etag).end();
            } else {
                r.response().putHeader("Content-Type", "text/html").putHeader("ETag", etag).end(html);
            }
        });
    }

    /** A page that answers 304 when If-Modified-Since carries its Last-Modified back. */
    public TestSite withLastModified(String path, String lastModified, String html) {
        return route(path, r -> {
            if (lastModified.equals(r.getHeader("If-Modified-Since"))) {
                r.response().setStatusCode(304).end();
            } else {
                r.response().putHeader("Content-Type", "text/html").putHeader("Last-Modified", lastModified).end(html);
            }
        });
    }

    public List<Seen> requests() {
        return List.copyOf(requests);
    }

    /** How many requests asked for this path (query ignored). */
    public long hits(String path) {
        return requests.stream().filter(s -> s.uri().equals(path) || s.uri().startsWith(path + "?")).count();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close().await().indefinitely();
    }
}
