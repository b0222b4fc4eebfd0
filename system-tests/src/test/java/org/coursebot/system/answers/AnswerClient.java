package org.coursebot.system.answers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP/1.1 to chat-service on a socket of its own per request ({@code Connection: close}), with a deadline on the
 * whole exchange: no client-side connection pool to keep connections open in the service's metrics, and a server
 * that never answers shows as a timeout, not a stuck test. Streamed answers can be read event by event and
 * abandoned at any event, as a browser tab that is closed.
 */
final class AnswerClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Deadlines close the socket; the daemon thread never keeps the test JVM alive.
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "answer-client-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final int port;

    AnswerClient(int port) {
        this.port = port;
    }

    /**
     * One exchange. {@code status} is -1 when no status line came; an answer cut short says why: {@code timedOut}
     * (the deadline passed) or {@code error} (the connection failed). {@code events}: a streamed answer's, in order.
     */
    record Reply(int status, Map<String, String> headers, String body, List<Event> events, Duration took,
            boolean timedOut, String error) {

        /** A header by its lower-case name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        List<String> eventNames() {
            return events.stream().map(Event::name).toList();
        }

        /** A short description for an assertion message. */
        boolean complete() {
            return status > 0 && !timedOut && error == null;
        }

        String describe() {
            String text = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return status + (timedOut ? " (timed out)" : "") + (error != null ? " (" + error + ")" : "") + " after "
                    + took.toMillis() + " ms: " + (events.isEmpty() ? text : eventNames());
        }
    }

    /** A server-sent event: its name and its data lines joined. */
    record Event(String name, String data) {
    }

    /** {@code GET}, accepting any type (JSON from the API, Prometheus text from /q/metrics). */
    Reply get(String pathAndQuery, Duration timeout) {
        return exchange("GET", pathAndQuery, null, "*/*", timeout, name -> false);
    }

    /** {@code POST} of a JSON body, answered as JSON. */
    Reply postJson(String path, Object body, Duration timeout) {
        return exchange("POST", path, body, "application/json", timeout, name -> false);
    }

    /** {@code POST} of a JSON body, answered as server-sent events, read to their end (or the deadline). */
    Reply postSse(String path, Object body, Duration timeout) {
        return postSse(path, body, timeout, name -> false);
    }

    /** The same, but the connection is closed as soon as an event whose name matches {@code closeAfter} is read. */
    Reply postSse(String path, Object body, Duration timeout, Predicate<String> closeAfter) {
        return exchange("POST", path, body, "text/event-stream", timeout, closeAfter);
    }

    private Reply exchange(String method, String target, Object body, String accept, Duration timeout,
            Predicate<String> closeAfter) {
        long start = System.nanoTime();
        Map<String, String> headers = new TreeMap<>();
        List<Event> events = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code = -1;
        Socket socket = new Socket();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(socket), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (socket) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            byte[] payload = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept
                    + "\r\nConnection: close\r\n" + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
                    + payload.length + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            code = Integer.parseInt(line(in).split(" ")[1]);
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            InputStream content = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Chunked(in)
                    : headers.containsKey("content-length") ? new Bounded(in, Long.parseLong(headers.get("content-length")))
                    : in;
            readBody(content, text, events, closeAfter);
            return new Reply(code, headers, text.toString(StandardCharsets.UTF_8), events, since(start), false, null);
        } catch (IOException | RuntimeException e) {
            boolean late = System.nanoTime() - start >= timeout.toNanos() - 1_000_000;
            return new Reply(code, headers, text.toString(StandardCharsets.UTF_8), events, since(start), late,
                    late ? null : e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    /** Reads the body into {@code text}, splitting server-sent events as they come, until its end or closeAfter. */
    private static void readBody(InputStream content, ByteArrayOutputStream text, List<Event> events,
            Predicate<String> closeAfter) throws IOException {
        String name = null;
        StringBuilder data = new StringBuilder();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (int b = content.read(); b >= 0; b = content.read()) {
            text.write(b);
            if (b != '\n') {
                current.write(b);
                continue;
            }
            String line = current.toString(StandardCharsets.UTF_8).stripTrailing();
            current.reset();
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
            } else if (line.isEmpty() && (name != null || !data.isEmpty())) {
                Event event = new Event(name == null ? "message" : name, data.toString());
                events.add(event);
                name = null;
                data.setLength(0);
                if (closeAfter.test(event.name())) {
                    return;
                }
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing to end a read: nothing to do
        }
    }

    /** A chunked body, decoded; ends at the last (empty) chunk. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean started;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                if (started) {
                    line(in); // the CRLF after a chunk
                }
                started = true;
                String size = line(in);
                int extension = size.indexOf(';');
                left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            left--;
            return b;
        }
    }

    /** A body of a known length. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the body");
            }
            left--;
            return b;
        }
    }
}
