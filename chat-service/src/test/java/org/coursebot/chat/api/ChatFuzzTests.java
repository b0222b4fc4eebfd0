package org.coursebot.chat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * "Never a 500, never a bare error", as a property over generated requests: random strings (all of Unicode,
 * control characters, lone surrogates, huge and empty), random JSON shapes and types, random content types,
 * Accept headers, methods and query strings, and malformed HTTP on a raw socket. For every response: no 5xx; a
 * 4xx is an {@code application/problem+json} with its status; the service is still ready afterwards; and no
 * input text reaches a log line (every generated text carries a canary the logs are searched for).
 * Seeded: {@code -Dcoursebot.fuzz.seed=N -Dcoursebot.fuzz.cases=N} repeat or widen a run.
 */
@QuarkusTest
@TestProfile(ChatApiTests.Extractive.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ChatFuzzTests {

    private static final String CANARY = "QZXCANARY";
    private static final ObjectMapper JSON = new ObjectMapper();

    TestDatabase database;
    FakeOpenAiServer openAi;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyRequestGetsAnAnswerOrAProblemNeverAServerError() throws Exception {
        CourseFixture.seed(database);
        long seed = Long.getLong("coursebot.fuzz.seed", 1415L);
        int cases = Integer.getInteger("coursebot.fuzz.cases", 1000);
        Random random = new Random(seed);
        List<String> logLines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
                if (record.getParameters() != null) {
                    for (Object p : record.getParameters()) {
                        line.append(' ').append(p);
                    }
                }
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(' ').append(t);
                }
                logLines.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        Map<String, Integer> ran = new TreeMap<>();
        Map<String, Integer> notHttp = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        try {
            for (int i = 0; i < cases; i++) {
                check("POST /api/chat (JSON)", chatRequest(random, "application/json"), ran, failures);
                check("POST /api/chat (SSE)", chatRequest(random, "text/event-stream"), ran, failures);
                check("GET /api/search", searchRequest(random), ran, failures);
                if (i % 4 == 0) {
                    checkRaw(rawHttp(random), ran, failures, notHttp);
                }
            }
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        System.out.printf("fuzz: seed %d, cases %s, server errors or bare errors %d; requests that are not HTTP, "
                + "answered by the HTTP codec (status: count) %s%n", seed, ran, failures.size(), notHttp);
        assertThat(failures).as("responses that broke the property (seed %d)", seed).isEmpty();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("ready after the fuzz run: %s", ready.body()).isEqualTo(200);
        assertThat(logLines).as("the capture sees the service's own lines").anyMatch(l -> l.startsWith("chat: "));
        assertThat(logLines).as("log lines quoting input text").noneMatch(l -> l.contains(CANARY));
    }

    /** A generated request and a short description of it, for the failure message. */
    private record Fuzzed(HttpRequest request, String description) {
    }

    private void check(String endpoint, Fuzzed fuzzed, Map<String, Integer> ran, List<String> failures)
            throws InterruptedException {
        ran.merge(endpoint, 1, Integer::sum);
        HttpRequest request = fuzzed.request();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            String problem = problemIn(response.statusCode(), contentType, response.body());
            if (problem != null) {
                failures.add(endpoint + " " + fuzzed.description() + ": " + problem);
            }
        } catch (IOException e) {
            failures.add(endpoint + " " + fuzzed.description() + ": " + e);
        }
    }

    /**
     * A request written on a socket. {@code http} false: not HTTP at all (an invalid URI escape, a header line
     * without a colon, HTTP/9.9). The HTTP codec answers those itself, with a bare 400 or 501, before any code of
     * ours runs, and Quarkus 3.33 offers no hook (quarkusio/quarkus#55082): they are counted, not judged.
     */
    private record RawCase(byte[] bytes, boolean http) {
    }

    private void checkRaw(RawCase raw, Map<String, Integer> ran, List<String> failures, Map<String, Integer> notHttp) {
        byte[] request = raw.bytes();
        ran.merge(raw.http() ? "raw HTTP" : "raw, not HTTP", 1, Integer::sum);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                if (!response.isEmpty()) {
                    failures.add("raw " + preview(request) + ": no complete response: " + preview(response.getBytes(StandardCharsets.UTF_8)));
                }
                return; // the server closed the connection without a word: nothing bare was sent
            }
            String head = response.substring(0, headEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            if (!raw.http()) {
                notHttp.merge(String.valueOf(status), 1, Integer::sum);
                return;
            }
            String body = response.substring(headEnd + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.replaceAll("(?m)^[0-9a-fA-F]+\r$\n?", "").trim();
            }
            String problem = problemIn(status, contentType, body);
            if (problem != null) {
                failures.add("raw " + preview(request) + ": " + problem);
            }
        } catch (IOException | RuntimeException e) {
            failures.add("raw " + preview(request) + ": " + e);
        }
    }

    /** What is wrong with a response, or null when it keeps the property. */
    private static String problemIn(int status, String contentType, String body) {
        if (status >= 500) {
            return status + " " + body;
        }
        if (status >= 400) {
            if (!contentType.startsWith("application/problem+json")) {
                return status + " with content type '" + contentType + "' and body '" + body + "'";
            }
            try {
                JsonNode problem = JSON.readTree(body);
                if (problem.path("status").asInt() != status || !problem.path("type").isTextual()) {
                    return status + " with a problem that does not match: " + body;
                }
            } catch (IOException e) {
                return status + " with a body that is not JSON: " + body;
            }
        }
        return null;
    }

    private Fuzzed chatRequest(Random r, String accept) {
        String method = r.nextInt(20) == 0 ? pick(r, "GET", "PUT", "DELETE", "PATCH") : "POST";
        String contentType = r.nextInt(5) > 0 ? "application/json"
                : pick(r, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/json; charset=utf-16", "a/b/c", "application/xml", "*/*");
        byte[] body = switch (r.nextInt(10)) {
            case 0 -> randomBytes(r);
            case 1 -> deepJson(r).getBytes(StandardCharsets.UTF_8);
            case 2 -> randomJson(r, 0).getBytes(StandardCharsets.UTF_8);
            case 3 -> truncated(chatBody(r)).getBytes(StandardCharsets.UTF_8);
            default -> chatBody(r).getBytes(StandardCharsets.UTF_8);
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/chat")).timeout(Duration.ofSeconds(60))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        boolean typed = r.nextInt(10) > 0;
        if (typed) {
            request.header("Content-Type", contentType);
        }
        String accepted = r.nextInt(6) == 0 ? pick(r, "*/*", "text/html", "application/xml", "x/y", "application/json, text/event-stream") : accept;
        request.header("Accept", accepted);
        if (r.nextInt(4) == 0) {
            request.header("X-" + CANARY, headerValue(r));
        }
        return new Fuzzed(request.build(), method + " " + (typed ? contentType : "(no type)") + " accept " + accepted
                + " body " + preview(body));
    }

    private Fuzzed searchRequest(Random r) {
        StringBuilder query = new StringBuilder();
        if (r.nextInt(10) > 0) {
            query.append("q=").append(URLEncoder.encode(randomString(r), StandardCharsets.UTF_8));
        }
        if (r.nextBoolean()) {
            query.append("&k=").append(URLEncoder.encode(pick(r, "5", "0", "-1", "21", "1e9", "99999999999999999999", "five",
                    "", "5.5", "NaN", randomString(r)), StandardCharsets.UTF_8));
        }
        if (r.nextBoolean()) {
            query.append("&threshold=").append(URLEncoder.encode(pick(r, "0.3", "-0", "1.0000001", "NaN", "Infinity",
                    "1e-400", "", "0x1p-2", randomString(r)), StandardCharsets.UTF_8));
        }
        if (r.nextInt(8) == 0) {
            query.append("&").append(CANARY).append("=").append(URLEncoder.encode(randomString(r), StandardCharsets.UTF_8));
        }
        String path = query.length() > 6000 ? "/api/search?q=" + CANARY : "/api/search?" + query;
        return new Fuzzed(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", r.nextInt(8) == 0 ? pick(r, "text/html", "application/xml", "x/y") : "application/json")
                .GET().build(), preview(path.getBytes(StandardCharsets.UTF_8)));
    }

    /** Oversized, truncated and malformed HTTP, as a client on a raw socket can send it. */
    private RawCase rawHttp(Random r) {
        String host = "Host: " + base.getHost() + "\r\n";
        int kind = r.nextInt(8);
        String request = switch (kind) {
            case 0 -> "GET /api/search?q=" + CANARY + "x".repeat(5000 + r.nextInt(40000)) + " HTTP/1.1\r\n" + host + "\r\n";
            case 1 -> "GET /api/search?q=x HTTP/1.1\r\n" + host + "X-Big: " + CANARY + "y".repeat(9000 + r.nextInt(40000)) + "\r\n\r\n";
            case 2 -> "GET /api/search?q=" + rawPercent(r) + " HTTP/1.1\r\n" + host + "\r\n";
            case 3 -> "POST /api/chat HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"q\"";
            case 4 -> "BREW /api/chat HTTP/1.1\r\n" + host + "\r\n";
            case 5 -> "GET /api/search?q=x HTTP/1.1\r\n" + host + "Header-Without-Colon\r\n\r\n";
            case 6 -> "POST /api/chat HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: "
                    + (2_000_000 + r.nextInt(1000)) + "\r\n\r\n{\"question\": \"" + CANARY;
            default -> "GET /api/search?q=" + CANARY + " HTTP/9.9\r\n" + host + "\r\n";
        };
        boolean invalidEscape = kind == 2 && request.matches("(?s).*%([^0-9A-Fa-f].|.[^0-9A-Fa-f]).*");
        return new RawCase(request.getBytes(StandardCharsets.ISO_8859_1), !(invalidEscape || kind == 5 || kind == 7));
    }

    private String chatBody(Random r) {
        StringBuilder body = new StringBuilder("{");
        List<String> fields = new ArrayList<>();
        if (r.nextInt(8) > 0) {
            fields.add("\"question\":" + (r.nextInt(8) > 0 ? quoted(randomString(r)) : randomJson(r, 2)));
        }
        if (r.nextInt(3) == 0) {
            fields.add("\"k\":" + pick(r, "5", "0", "-3", "21", "1e308", "99999999999999999999999", "\"5\"", "null", "5.5", "[]", "{}"));
        }
        if (r.nextInt(3) == 0) {
            fields.add("\"threshold\":" + pick(r, "0.3", "-0.0", "1.5", "1e-400", "\"0.3\"", "null", "true", "[0.3]"));
        }
        if (r.nextInt(3) == 0) {
            fields.add("\"history\":" + (r.nextInt(3) == 0 ? randomJson(r, 1) : history(r)));
        }
        if (r.nextInt(5) == 0) {
            fields.add(quoted(CANARY + randomString(r)) + ":" + randomJson(r, 2));
        }
        body.append(String.join(",", fields)).append('}');
        return body.toString();
    }

    private String history(Random r) {
        List<String> turns = new ArrayList<>();
        for (int i = r.nextInt(25); i > 0; i--) {
            turns.add(r.nextInt(10) == 0 ? randomJson(r, 2) : "{\"role\":" + quoted(pick(r, "user", "assistant", "system", "", CANARY))
                    + ",\"content\":" + (r.nextInt(10) == 0 ? randomJson(r, 2) : quoted(randomString(r))) + "}");
        }
        return "[" + String.join(",", turns) + "]";
    }

    private String randomJson(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> pick(r, "0", "-1", "1e999", "3.14", "-0", "12345678901234567890123");
            case 3 -> quoted(randomString(r));
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(randomJson(r, depth + 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(quoted(CANARY + i) + ":" + randomJson(r, depth + 1));
                }
                yield "{" + String.join(",", items) + "}";
            }
        };
    }

    /** JSON nested past any parser's depth limit: arrays, objects, or history turns. */
    private String deepJson(Random r) {
        int depth = 1000 + r.nextInt(5000);
        return switch (r.nextInt(3)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"question\":\"" + CANARY + "\",\"history\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            default -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        };
    }

    /** Text from every corner of Unicode: control characters, lone surrogates, direction overrides, huge, empty. */
    private String randomString(Random r) {
        int length = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 2000 + r.nextInt(3);
            case 2 -> 3000 + r.nextInt(200_000);
            default -> r.nextInt(120);
        };
        StringBuilder text = new StringBuilder(length + CANARY.length());
        int canaryAt = length == 0 ? -1 : r.nextInt(length + 1);
        for (int i = 0; i < length; i++) {
            if (i == canaryAt) {
                text.append(CANARY);
            }
            switch (r.nextInt(12)) {
                case 0 -> text.append((char) r.nextInt(0x20));
                case 1 -> text.append((char) (0x7f + r.nextInt(0x21)));
                case 2 -> text.append((char) (0xd800 + r.nextInt(0x800)));
                case 3 -> text.append(pick(r, "\u202e", "\u2066", "\u200b", "\ufeff", "\ufffe", "\uffff", "\u0000", "\r\n"));
                case 4 -> text.appendCodePoint(0x10000 + r.nextInt(0x100000));
                case 5 -> text.append((char) (0x80 + r.nextInt(0xd800 - 0x80)));
                case 6 -> text.append(pick(r, "'", "\"", "\\", "%", "_", "&", "|", "!", ":*", "<->", "(", ")", "--", ";", "$1"));
                default -> text.append((char) (0x20 + r.nextInt(0x5f)));
            }
        }
        if (canaryAt == length) {
            text.append(CANARY);
        }
        return canaryAt < 0 ? CANARY : text.toString();
    }

    /** A query value with percent-encodings no decoder should trust: NUL, bad hex, overlong, encoded surrogates. */
    private static String rawPercent(Random r) {
        return CANARY + pick(r, "%00", "%zz", "%", "%C0%80", "%ED%A0%80", "%FF%FE", "%E2%80%AE", "%0D%0A", "%25%30%30");
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncated(String json) {
        return json.substring(0, json.length() / 2);
    }

    private static byte[] randomBytes(Random r) {
        byte[] bytes = new byte[r.nextInt(300)];
        r.nextBytes(bytes);
        return bytes;
    }

    private static String headerValue(Random r) {
        StringBuilder value = new StringBuilder(CANARY);
        for (int i = r.nextInt(60); i > 0; i--) {
            value.append((char) (0x21 + r.nextInt(0x5e)));
        }
        return value.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            // reset or timed out after the response: what was read is the response
        }
        return out.toByteArray();
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1);
        return text.replaceAll("[^\\x20-\\x7e]", "?") + (bytes.length > 80 ? "…(" + bytes.length + " bytes)" : "");
    }
}
