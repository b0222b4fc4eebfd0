package org.coursebot.testing;

import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Serves a folder over HTTP on 127.0.0.1 as a static host does: GET and HEAD, {@code index.html} for a folder,
 * a strong {@code ETag} (a hash of the bytes) and {@code Last-Modified}, {@code 304} to a matching
 * {@code If-None-Match}. Files are read at each request, so a test may change the site between crawls. Latency
 * and failures can be injected, and every request is counted.
 */
public final class CourseSiteServer implements AutoCloseable {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A random wait in [min, max] before each response; the random draws come in request order. */
    private record Latency(long minMillis, long maxMillis, Random random) {

        long next() {
            return maxMillis <= minMillis ? minMillis : minMillis + random.nextLong(maxMillis - minMillis + 1);
        }
    }

    private final Path root;
    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile Latency latency;

    private CourseSiteServer(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /** Serves {@code root} on 127.0.0.1 and a free port. */
    public static CourseSiteServer start(Path root) {
        return start(root, 0);
    }

    /** Serves {@code root} on 127.0.0.1 and {@code port} (0: a free one). */
    public static CourseSiteServer start(Path root, int port) {
        CourseSiteServer site = new CourseSiteServer(root);
        try {
            site.server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            site.close();
            throw new IllegalStateException("cannot start the course site server: " + e, e);
        }
        return site;
    }

    /**
     * Serves a folder on its own, for scripts: {@code <dir> [port] [latencyMinMs latencyMaxMs]}; prints its base
     * URL on the first line of stdout and serves until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 && args.length != 2 && args.length != 4) {
            System.err.println("usage: CourseSiteServer <dir> [port] [latencyMinMs latencyMaxMs]");
            System.exit(2);
        }
        CourseSiteServer site = start(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 0);
        if (args.length == 4) {
            site.latency(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])), 1);
        }
        System.out.println(site.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** {@code http://127.0.0.1:PORT/}: the site's base URL, ending in '/'. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/";
    }

    public Path root() {
        return root;
    }

    /** Delays every response by a random time in [min, max], drawn from {@code seed}; zero turns it off. */
    public CourseSiteServer latency(Duration min, Duration max, long seed) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max, got " + min + " and " + max);
        }
        this.latency = max.isZero() ? null : new Latency(min.toMillis(), max.toMillis(), new Random(seed));
        return this;
    }

    /**
     * Answers the next {@code count} page requests (paths ending in .html or '/') with {@code status} and no
     * body; the sitemap and robots.txt are still served, so a test can fail pages without failing discovery.
     */
    public CourseSiteServer failNext(int count, int status) {
        this.failureStatus = status;
        this.failuresLeft.set(count);
        return this;
    }

    /** Every request so far, whatever its answer. */
    public long requests() {
        return requests.get();
    }

    /** How many requests were answered 304 Not Modified. */
    public long notModified() {
        return notModified.get();
    }

    /** How many requests asked for {@code path} ({@code /part1/a/x.html} or {@code part1/a/x.html}; query ignored). */
    public long requested(String path) {
        AtomicLong count = requestsByPath.get(path.startsWith("/") ? path : "/" + path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the Vert.x instance below owns the port
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the course site server: " + e, e);
        }
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        requestsByPath.computeIfAbsent(request.path(), p -> new AtomicLong()).incrementAndGet();
        Latency current = latency;
        long delay = current == null ? 0 : current.next();
        if (delay > 0) {
            // a timer, so a slow site never holds the event loop
            vertx.setTimer(delay, id -> respond(request));
        } else {
            respond(request);
        }
    }

    private void respond(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
            return;
        }
        String path = request.path();
        boolean page = path.endsWith(".html") || path.endsWith("/");
        if (page && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            response.setStatusCode(failureStatus).end();
            return;
        }
        Path file = resolve(path);
        if (file == null) {
            notFound(response);
            return;
        }
        String name = file.toString();
        Future<FileProps> props = vertx.fileSystem().props(name);
        props.compose(p -> p.isRegularFile() ? vertx.fileSystem().readFile(name) : Future.failedFuture("not a file"))
                .onSuccess(bytes -> serve(request, file, bytes, props.result()))
                .onFailure(e -> notFound(response));
    }

    /** The file a request path names, or null when it names none under the root (missing, or escaping it). */
    private Path resolve(String rawPath) {
        String path;
        try {
            path = URI.create(rawPath).getPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.contains("\\")) {
            return null;
        }
        String relative = path.substring(1) + (path.endsWith("/") ? "index.html" : "");
        Path file = root.resolve(relative).normalize();
        return file.startsWith(root) ? file : null;
    }

    private void serve(HttpServerRequest request, Path file, Buffer bytes, FileProps props) {
        HttpServerResponse response = request.response();
        String etag = etag(bytes.getBytes());
        Instant modified = Instant.ofEpochMilli(props.lastModifiedTime());
        response.putHeader("ETag", etag).putHeader("Last-Modified", HTTP_DATE.format(modified));
        if (notModified(request, etag, modified)) {
            notModified.incrementAndGet();
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", contentType(file.getFileName().toString()));
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", String.valueOf(bytes.length())).end();
        } else {
            response.end(bytes);
        }
    }

    /** If-None-Match wins over If-Modified-Since, as RFC 9110 §13.2.2 orders them. */
    private static boolean notModified(HttpServerRequest request, String etag, Instant modified) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.strip();
                // weak comparison, as If-None-Match uses
                if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.getHeader("If-Modified-Since");
        if (ifModifiedSince == null) {
            return false;
        }
        try {
            Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince));
            return modified.getEpochSecond() <= since.getEpochSecond();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void notFound(HttpServerResponse response) {
        response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not Found\n");
    }

    static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String contentType(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html") || lower.endsWith(".htm")) {
            return "text/html; charset=utf-8";
        } else if (lower.endsWith(".xml")) {
            return "application/xml";
        } else if (lower.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        } else if (lower.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (lower.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }
}
