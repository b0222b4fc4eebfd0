package org.coursebot.chat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.RawHttp;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** A client that sends a byte at a time, or holds many requests open, is cut off and cannot crowd others out. */
@QuarkusTest
@TestProfile(ClientLimitsTests.Tight.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ClientLimitsTests {

    /** A short body timeout and 3 requests per client, so that the test is quick. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.http.body-timeout", "1s", "coursebot.http.max-requests-per-client", "3");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aBodySentAByteAtATimeIsCutOffWithAProblemAndTheConnectionClosed() throws Exception {
        try (Socket socket = slowChat()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            String response = "";
            for (int i = 0; i < 40 && !response.contains("\r\n\r\n"); i++) {
                try {
                    out.write('{');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                response = available(socket.getInputStream());
            }
            response += readRest(socket.getInputStream());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(response).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("request-timeout");
            assertThat(elapsedMs).as("cut off after the 1 s body timeout, not later").isBetween(800L, 3000L);
        }
    }

    @Test
    void aClientHoldingItsShareOfRequestsGetsA429ForTheNextAndOthersAreServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(slowChat());
            }
            Thread.sleep(200);
            try (Socket fourth = slowChat()) {
                String response = readRest(fourth.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 429").contains("too-many-requests-in-flight");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(300);
        io.restassured.RestAssured.given().queryParam("q", "express").get("/api/search").then().statusCode(200);
    }

    @Test
    void oversizedOrUnmeasuredRequestsGetAProblemBeforeTheirBodyIsRead() throws Exception {
        String host = "Host: localhost\r\n";
        record Case(String request, String status, String type) {
        }
        for (Case c : List.of(
                new Case("GET /api/search?q=" + "x".repeat(30_000) + " HTTP/1.1\r\n" + host + "\r\n", "414", "uri-too-long"),
                new Case("GET /api/search?q=x HTTP/1.1\r\n" + host + "X-Big: " + "y".repeat(20_000) + "\r\n\r\n", "431", "headers-too-large"),
                new Case("POST /api/chat HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{",
                        "413", "body-too-large"),
                new Case("POST /api/chat HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"q\":\r\n",
                        "411", "length-required"))) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(c.request().getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                String response = readRest(socket.getInputStream());
                assertThat(response).as(c.type()).startsWith("HTTP/1.1 " + c.status()).contains("application/problem+json")
                        .contains("/problems/" + c.type());
            }
        }
    }

    /**
     * A request line of 100,000 characters or 100 KB of headers (issue 27: they were a bare 414 and 431) reaches the
     * router, under the HTTP codec's ceilings (quarkus.http.limits, 256 KB), and gets the problem naming the limit a
     * client has to keep.
     */
    @Test
    void aHugeRequestLineOrHeaderGetsAProblemNamingTheLimit() throws Exception {
        record Case(String request, int status, String type, String title, String detail) {
        }
        for (Case c : List.of(
                new Case("GET /api/search?q=" + "x".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414,
                        "uri-too-long", "URI Too Long", "the request target is over 24576 characters"),
                new Case("GET /api/search?q=x HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(100_000) + "\r\n\r\n", 431,
                        "headers-too-large", "Request Header Fields Too Large", "the request headers are over 16384 bytes"))) {
            RawHttp.Response response = RawHttp.send(base, c.request());
            assertThat(response.status()).as(c.type()).isEqualTo(c.status());
            assertThat(response.contentType()).as(c.type()).isEqualTo("application/problem+json");
            JsonPath problem = JsonPath.from(response.body());
            assertThat(problem.getString("type")).isEqualTo("https://coursebot.dev/problems/" + c.type());
            assertThat(problem.getString("title")).isEqualTo(c.title());
            assertThat(problem.getInt("status")).isEqualTo(c.status());
            assertThat(problem.getString("detail")).isEqualTo(c.detail());
        }
    }

    /** A POST /api/chat whose headers promise a body that is not sent. */
    private Socket slowChat() throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(("POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String available(InputStream in) throws IOException {
        byte[] buffer = new byte[in.available()];
        int n = in.read(buffer, 0, buffer.length);
        return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    private static String readRest(InputStream in) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("\r\n\r\n") >= 0 && text.indexOf("}") > 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed or timed out: what arrived is the response
        }
        return text.toString();
    }
}
