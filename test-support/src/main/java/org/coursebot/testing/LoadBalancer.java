package org.coursebot.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * nginx (Debian's, as deploy/local/tools.sh installs it) as a round-robin load balancer on 127.0.0.1 and a free
 * port, in front of servers on 127.0.0.1: what a deployment puts before two chat-services. It runs as a child
 * process, and its configuration, pid file, logs and temporary files all live in a folder of its own, so it needs no
 * root paths and two of them never collide. Requests go upstream over HTTP/1.1 with keep-alive, with the client's
 * Host and an X-Forwarded-For that ends with the client's address; responses are not buffered (an SSE stream flows
 * as it is written); a POST that reached one server is never sent to the other. The access log names the server
 * that answered each request ({@code upstream=127.0.0.1:PORT}) and its status.
 */
public final class LoadBalancer implements AutoCloseable {

    private static final String INSTALL_HINT = "run deploy/local/tools.sh first: it installs nginx";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private final Process master;
    /** Stops nginx when the JVM exits without {@link #close()}: its workers would keep the port for good. */
    private final Thread stopAtExit;
    private boolean closed;

    private LoadBalancer(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
        this.stopAtExit = new Thread(() -> stop(master), "nginx-stop-at-exit");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /**
     * Starts nginx balancing over the servers on 127.0.0.1 at {@code upstreamPorts}, in that order, and returns once
     * it accepts connections; throws {@link IllegalStateException} with nginx's error log when it does not.
     */
    public static LoadBalancer start(List<Integer> upstreamPorts) {
        if (upstreamPorts.isEmpty()) {
            throw new IllegalArgumentException("a load balancer needs at least one upstream port");
        }
        Path binary = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("coursebot-nginx-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the load balancer's folder", e);
        }
        int port;
        Process master;
        try {
            port = freePort();
            Files.writeString(dir.resolve("nginx.conf"), config(dir, port, upstreamPorts), StandardCharsets.UTF_8);
            // -p: relative paths resolve in the folder; -e: the error log before the configuration is read (Debian
            // builds it as stderr), so that a bad configuration or a taken port is in error.log too.
            master = new ProcessBuilder(binary.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                    "-e", dir.resolve("error.log").toString())
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nginx.out").toFile()).start();
            master.getOutputStream().close();
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        LoadBalancer balancer = new LoadBalancer(dir, port, master);
        try {
            balancer.awaitListening();
            return balancer;
        } catch (RuntimeException e) {
            try {
                balancer.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * One line per request, written once it is answered: {@code CLIENT "REQUEST LINE" STATUS upstream=ADDRESSES
     * upstream_status=STATUSES xff="X-FORWARDED-FOR" time=SECONDS}; ADDRESSES lists every server tried, comma-separated.
     * Deleted by {@link #close()}.
     */
    public Path accessLog() {
        return dir.resolve("access.log");
    }

    /** The process id of nginx's master process (its one worker is its child). */
    public long pid() {
        return master.pid();
    }

    /** Stops nginx (fast shutdown: open requests are cut), waits until every process of it is gone, deletes its folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting and the hook runs anyway
        }
        try {
            stop(master);
        } finally {
            delete(dir);
        }
    }

    private static String config(Path dir, int port, List<Integer> upstreamPorts) {
        String servers = upstreamPorts.stream().map(p -> "        server 127.0.0.1:" + p + ";")
                .collect(Collectors.joining("\n"));
        // nginx started as root switches its workers to "nobody:nobody", and Debian has no group "nobody"; root's
        // workers must also read and write the folder, which is root's alone.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
        return """
                # Written by org.coursebot.testing.LoadBalancer; every path is in %1$s.
                daemon off;
                master_process on;
                worker_processes 1;
                %2$s
                pid "%1$s/nginx.pid";
                error_log "%1$s/error.log" notice;

                events {
                    worker_connections 1024;
                }

                http {
                    log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr '
                                         'upstream_status=$upstream_status xff="$http_x_forwarded_for" time=$request_time';
                    access_log "%1$s/access.log" upstreams;

                    client_body_temp_path "%1$s/client_body_temp";
                    proxy_temp_path "%1$s/proxy_temp";
                    fastcgi_temp_path "%1$s/fastcgi_temp";
                    uwsgi_temp_path "%1$s/uwsgi_temp";
                    scgi_temp_path "%1$s/scgi_temp";

                    # The services behind decide what is too big (chat-service: 4 MB bodies, 256 KB of headers) and
                    # answer it with their own problem details; nginx's defaults (1 MB, 8 KB a header) would answer first.
                    client_max_body_size 0;
                    large_client_header_buffers 4 512k;

                    upstream services {
                %3$s
                        keepalive 16;
                    }

                    server {
                        listen 127.0.0.1:%4$d;

                        location / {
                            proxy_pass http://services;
                            # Keep-alive upstream needs HTTP/1.1 and no "Connection: close" passed on.
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            # Answers streamed as server-sent events must reach the client as they are written.
                            proxy_buffering off;
                            proxy_connect_timeout 5s;
                            proxy_send_timeout 60s;
                            proxy_read_timeout 60s;
                            # nginx's default, said out loud: a request that failed on one server is tried on the
                            # next, except one with a non-idempotent method (a POST asking a question) once it was sent.
                            proxy_next_upstream error timeout;
                        }
                    }
                }
                """.formatted(dir, user, servers, port);
    }

    /**
     * Ready once nginx wrote its pid file (it does so only after it bound its port) and the port accepts a connection:
     * the port alone could be another process's that took it between {@link #freePort()} and nginx's bind.
     */
    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw failure("nginx exited with " + master.exitValue() + " before it listened on 127.0.0.1:" + port);
            }
            if (Files.exists(dir.resolve("nginx.pid")) && accepts()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while nginx was starting", e);
            }
        }
        throw failure("nginx did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + "\n--- its output:\n" + tail(dir.resolve("nginx.out"), 20)
                + "\n--- tail of " + dir.resolve("error.log") + ":\n" + tail(dir.resolve("error.log"), 30));
    }

    /**
     * SIGTERM, nginx's fast shutdown (SIGQUIT's graceful one would wait for an open SSE stream for up to the read
     * timeout); the master ends after its worker. If it does not in time, every process of it is killed: a worker
     * outliving its master keeps serving the port.
     */
    private static void stop(Process master) {
        List<ProcessHandle> workers = master.descendants().toList();
        master.destroy();
        if (!exited(master.toHandle())) {
            workers.forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
        }
        for (ProcessHandle worker : workers) {
            if (!exited(worker)) {
                worker.destroyForcibly();
            }
        }
        if (!exited(master.toHandle()) || workers.stream().anyMatch(w -> !exited(w))) {
            throw new IllegalStateException("nginx (pid " + master.pid() + ") did not stop even when killed");
        }
    }

    private static boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** nginx on the PATH, or where Debian puts it: /usr/sbin is not on a normal user's PATH. */
    private static Path binary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin"))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "nginx"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("nginx is not installed: " + INSTALL_HINT));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the load balancer's folder " + dir, e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LoadBalancer[%s, pid %d, %s]", baseUrl(), master.pid(), dir);
    }
}
