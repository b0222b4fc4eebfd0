package org.coursebot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Needs nginx, which deploy/local/tools.sh installs. */
class LoadBalancerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void spreadsGetsAndPostsRoundRobinAndLogsWhichUpstreamAnswered() throws Exception {
        Upstream a = upstream("a");
        Upstream b = upstream("b");
        LoadBalancer balancer = balancer(a.port(), b.port());

        // The GETs first, then the POSTs: taken in turns, every GET would land on one upstream, every POST on the other.
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answeredBy.add(send(get(balancer, "/q?i=" + i)).body());
        }
        for (int i = 0; i < 20; i++) {
            answeredBy.add(send(post(balancer, "/q", "question " + i)).body());
        }

        for (Upstream upstream : List.of(a, b)) {
            assertThat(upstream.count("GET")).as("GETs on %s", upstream.name).isBetween(9, 11);
            assertThat(upstream.count("POST")).as("POSTs on %s", upstream.name).isBetween(9, 11);
            assertThat(answeredBy).filteredOn(upstream.name::equals).hasSize(upstream.seen.size());
            assertThat(upstream.connections()).as("keep-alive: %s's 20 requests came on few connections", upstream.name)
                    .isLessThan(5);
        }
        List<String> log = awaitLogLines(balancer, 40);
        for (Upstream upstream : List.of(a, b)) {
            for (String method : List.of("GET", "POST")) {
                assertThat(log).as("%s lines answered by %s", method, upstream.name)
                        .filteredOn(line -> line.contains("\"" + method + " /q")
                                && line.contains(" upstream=127.0.0.1:" + upstream.port() + " upstream_status=200"))
                        .hasSize(upstream.count(method));
            }
        }
    }

    @Test
    void passesTheClientsHostAndAddressOn() throws Exception {
        Upstream a = upstream("a");
        LoadBalancer balancer = balancer(a.port());

        send(get(balancer, "/plain"));
        send(HttpRequest.newBuilder(URI.create(balancer.baseUrl() + "/behind-a-proxy")).timeout(TIMEOUT)
                .header("X-Forwarded-For", "203.0.113.7").build());

        assertThat(a.seen).extracting(Seen::path, Seen::forwardedFor, Seen::host).containsExactly(
                tuple("/plain", "127.0.0.1", "127.0.0.1:" + balancer.port()),
                tuple("/behind-a-proxy", "203.0.113.7, 127.0.0.1", "127.0.0.1:" + balancer.port()));
    }

    @Test
    void streamsAnEventStreamAsTheUpstreamWritesIt() throws Exception {
        Upstream a = upstream("a");
        LoadBalancer balancer = balancer(a.port());

        HttpResponse<InputStream> response = client.send(get(balancer, "/stream"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            String first = readUntil(body, "data: first\n\n");
            long firstAt = System.nanoTime();
            String second = readUntil(body, "data: second\n\n");
            long secondAt = System.nanoTime();

            assertThat(first).isEqualTo("data: first\n\n");
            assertThat(second).isEqualTo("data: second\n\n");
            // The upstream waits 1 s between the two events: a proxy holding the answer back hands both over at once.
            // (nginx 1.22 passes these on in time with proxy_buffering on too: the next test pins the directive.)
            assertThat(Duration.ofNanos(secondAt - firstAt)).isGreaterThan(Duration.ofMillis(700));
        }
    }

    @Test
    void readsNoFurtherAheadOfASlowClientThanItsSocketsHold() throws Exception {
        Upstream a = upstream("a");
        LoadBalancer balancer = balancer(a.port());

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), balancer.port()));
            socket.getOutputStream().write(("GET /large HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            // A buffering nginx would take the whole answer into its temporary files at once, the client reading
            // nothing; unbuffered, the upstream's writes wait for the client's reads.
            assertThat(a.largeWritten.await(2, TimeUnit.SECONDS)).as("upstream done before the client read").isFalse();
            long read = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(read).isGreaterThan(Upstream.LARGE_BYTES);
            assertThat(a.largeWritten.await(0, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void retriesAFailedGetOnTheOtherUpstreamButNeverAPostThatReachedOne() throws Exception {
        Upstream good = upstream("good");
        try (ClosingUpstream closing = new ClosingUpstream()) {
            // nginx then takes the failed server out for 10 s (max_fails=1 fail_timeout=10s): one balancer per method.
            try (LoadBalancer forGets = LoadBalancer.start(List.of(closing.port(), good.port()))) {
                List<Integer> statuses = List.of(send(get(forGets, "/g1")).statusCode(),
                        send(get(forGets, "/g2")).statusCode());

                assertThat(statuses).containsExactly(200, 200);
                assertThat(closing.requests.get()).isEqualTo(1);
                assertThat(good.count("GET")).isEqualTo(2);
                assertThat(awaitLogLines(forGets, 2)).anyMatch(line -> line.contains(
                        "upstream=127.0.0.1:" + closing.port() + ", 127.0.0.1:" + good.port() + " "));
            }
            closing.requests.set(0);
            try (LoadBalancer forPosts = LoadBalancer.start(List.of(closing.port(), good.port()))) {
                List<Integer> statuses = List.of(send(post(forPosts, "/p", "one")).statusCode(),
                        send(post(forPosts, "/p", "two")).statusCode());

                assertThat(statuses).containsExactlyInAnyOrder(200, 502);
                assertThat(closing.requests.get()).isEqualTo(1);
                assertThat(good.count("POST")).as("the POST that failed was not sent again").isEqualTo(1);
            }
        }
    }

    @Test
    void closeLeavesNoNginxProcessNorItsPortNorItsFolder() throws Exception {
        Upstream a = upstream("a");
        LoadBalancer balancer = LoadBalancer.start(List.of(a.port()));
        assertThat(send(get(balancer, "/")).body()).isEqualTo("a");
        ProcessHandle master = ProcessHandle.of(balancer.pid()).orElseThrow();
        List<ProcessHandle> workers = master.descendants().toList();
        assertThat(workers).as("master_process on, one worker").hasSize(1);

        balancer.close();

        assertThat(master.isAlive()).isFalse();
        assertThat(workers).noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.of(balancer.pid())).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), balancer.port()).close())
                .isInstanceOf(IOException.class);
        assertThat(balancer.accessLog().getParent()).doesNotExist();
        balancer.close(); // a second close does nothing
    }

    private LoadBalancer balancer(Integer... upstreamPorts) {
        LoadBalancer balancer = LoadBalancer.start(List.of(upstreamPorts));
        toClose.add(balancer);
        return balancer;
    }

    private Upstream upstream(String name) throws IOException {
        Upstream upstream = new Upstream(name);
        toClose.add(upstream);
        return upstream;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(LoadBalancer balancer, String path) {
        return HttpRequest.newBuilder(URI.create(balancer.baseUrl() + path)).timeout(TIMEOUT).build();
    }

    private static HttpRequest post(LoadBalancer balancer, String path, String body) {
        return HttpRequest.newBuilder(URI.create(balancer.baseUrl() + path)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** nginx writes a request's line once it answered it: the client may read the answer a moment before. */
    private static List<String> awaitLogLines(LoadBalancer balancer, int count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> lines = Files.readAllLines(balancer.accessLog());
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = Files.readAllLines(balancer.accessLog());
        }
        assertThat(lines).as("access log").hasSize(count);
        return lines;
    }

    /** Reads until what was read ends with {@code end}, and returns it. */
    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended after '" + read.toString(StandardCharsets.UTF_8) + "'");
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    /** {@code remotePort} is nginx's end of the connection the request came on. */
    private record Seen(String method, String path, String host, String forwardedFor, int remotePort) {
    }

    /**
     * A server on 127.0.0.1 and a free port that answers every request with its name, {@code /stream} with two
     * server-sent events a second apart; it records what it received.
     */
    private static final class Upstream implements AutoCloseable {

        /** More than the sockets between the upstream and a client that does not read can hold. */
        static final int LARGE_BYTES = 32 * 1024 * 1024;

        final String name;
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        /** Counted down once the whole of {@code /large} was written. */
        final CountDownLatch largeWritten = new CountDownLatch(1);
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        Upstream(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::answer);
            server.setExecutor(threads); // the event stream's pause must not hold up other requests
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        int count(String method) {
            return (int) seen.stream().filter(s -> s.method().equals(method)).count();
        }

        long connections() {
            return seen.stream().mapToInt(Seen::remotePort).distinct().count();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Host"),
                        exchange.getRequestHeaders().getFirst("X-Forwarded-For"),
                        exchange.getRemoteAddress().getPort()));
                if (exchange.getRequestURI().getPath().equals("/stream")) {
                    stream(exchange);
                    return;
                }
                if (exchange.getRequestURI().getPath().equals("/large")) {
                    large(exchange);
                    return;
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }

        private void large(HttpExchange exchange) throws IOException {
            exchange.sendResponseHeaders(200, LARGE_BYTES);
            byte[] piece = new byte[64 * 1024];
            for (int written = 0; written < LARGE_BYTES; written += piece.length) {
                exchange.getResponseBody().write(piece);
            }
            largeWritten.countDown();
        }

        private static void stream(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            OutputStream out = exchange.getResponseBody();
            out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** A server that reads a request's head and body, then closes the connection without a word. */
    private static final class ClosingUpstream implements AutoCloseable {

        final AtomicInteger requests = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread acceptor;

        ClosingUpstream() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptAll, "closing-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptAll() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connection.setSoTimeout((int) TIMEOUT.toMillis());
                    InputStream in = connection.getInputStream();
                    String head = readUntil(in, "\r\n\r\n");
                    in.readNBytes(contentLength(head));
                    requests.incrementAndGet();
                } catch (IOException e) {
                    // closed by close(), or a connection that went away: either way nothing to answer
                }
            }
        }

        private static int contentLength(String head) {
            return head.lines().map(line -> line.toLowerCase(Locale.ROOT))
                    .filter(line -> line.startsWith("content-length:"))
                    .map(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
                    .findFirst().orElse(0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
