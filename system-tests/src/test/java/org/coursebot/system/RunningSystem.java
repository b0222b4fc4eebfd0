package org.coursebot.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebot.testing.TestDatabase;

/**
 * Both packaged services started as processes on free ports over a database of their own, with the sample
 * course as a directory source, as deploy/local/run.sh starts them: what a user gets, not a test harness.
 */
final class RunningSystem implements AutoCloseable {

    static final String ADMIN_TOKEN = "system-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path repo;
    final int chatPort;
    final int ingestPort;
    final TestDatabase database;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private Map<String, String> chatEnv;

    private RunningSystem(Path repo, TestDatabase database, int chatPort, int ingestPort) {
        this.repo = repo;
        this.database = database;
        this.chatPort = chatPort;
        this.ingestPort = ingestPort;
    }

    /** The sample course, as {@link #start(Path, Map)} starts it. */
    static RunningSystem start(Map<String, String> extraEnv) throws Exception {
        return start(repoRoot().resolve("deploy/demo-course"), extraEnv);
    }

    /**
     * Starts ingest-service (which migrates the new database), then chat-service as the read-only role, with
     * {@code course} (a folder like deploy/demo-course) as the directory source and served by chat-service at /course/.
     */
    static RunningSystem start(Path course, Map<String, String> extraEnv) throws Exception {
        Path repo = repoRoot();
        TestDatabase db = TestDatabase.create();
        RunningSystem system = new RunningSystem(repo, db, ServiceProcess.freePort(), ServiceProcess.freePort());
        try {
            Map<String, String> ingest = new HashMap<>(Map.of(
                    "DATABASE_URL", db.url(), "ADMIN_TOKEN", ADMIN_TOKEN, "PORT", String.valueOf(system.ingestPort),
                    "COURSEBOT_SOURCES_DEMO_DIRECTORY", course.toAbsolutePath().toString(),
                    "COURSEBOT_SOURCES_DEMO_BASE_URL", system.chatUrl() + "/course/",
                    "COURSEBOT_SOURCES_DEMO_PART_PATTERN", "/part(?<part>\\d+)/(?<module>[a-z])/",
                    "CHAT_SERVICE_URL", system.chatUrl()));
            ingest.putAll(extraEnv);
            system.launch("ingest-service", ingest);
            system.awaitReady(system.ingestUrl());
            Map<String, String> chat = new HashMap<>(Map.of(
                    "CHAT_DATABASE_URL", db.chatUrl(), "INSIGHTS_DATABASE_URL", db.insightsUrl(),
                    "PORT", String.valueOf(system.chatPort),
                    "COURSEBOT_CHAT_DEMO_COURSE_DIRECTORY", course.toAbsolutePath().toString(),
                    "COURSEBOT_RATE_LIMIT_ENABLED", "false", "ADMIN_TOKEN", ADMIN_TOKEN));
            chat.putAll(extraEnv);
            system.chatEnv = Map.copyOf(chat);
            system.launch("chat-service", chat);
            system.awaitReady(system.chatUrl());
            return system;
        } catch (Exception | AssertionError e) {
            system.close();
            throw e;
        }
    }

    String chatUrl() {
        return "http://127.0.0.1:" + chatPort;
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    /** Runs an ingest of the course through the admin API and waits for it; returns the run. */
    JsonNode ingest() throws Exception {
        HttpRequest start = HttpRequest.newBuilder(URI.create(ingestUrl() + "/admin/ingest"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"demo\"}")).build();
        HttpResponse<String> started = http.send(start, HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new AssertionError("ingest did not start: " + started.statusCode() + " " + started.body());
        }
        long id = JSON.readTree(started.body()).get("runId").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = getJson(ingestUrl() + "/admin/ingest/runs/" + id, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
            if (!"running".equals(run.get("status").asText())) {
                return run;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("ingest run " + id + " did not finish in 5 minutes");
    }

    JsonNode getJson(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode postJson(String url, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(url, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A JSON POST, whatever its status. */
    HttpResponse<String> post(String url, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Stops chat-service and starts it again on the same port and database with {@code extraEnv} over its first
     * environment: a search setting compared without ingesting the course again (QualityComparison).
     */
    void restartChat(Map<String, String> extraEnv) throws Exception {
        Process chat = processes.remove(processes.size() - 1);
        chat.destroy();
        ServiceProcess.awaitStopped(chat);
        Map<String, String> env = new HashMap<>(chatEnv);
        env.putAll(extraEnv);
        launch("chat-service", env);
        awaitReady(chatUrl());
    }

    private void launch(String service, Map<String, String> env) throws IOException {
        processes.add(ServiceProcess.start(repo, service, List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss512k",
                "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"), env, logs().resolve(service + ".log")));
    }

    private void awaitReady(String base) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new AssertionError("a service exited (" + p.exitValue() + "); logs in " + logs());
                }
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new AssertionError(base + " not live after 120 s; logs in " + logs());
    }

    static Path logs() throws IOException {
        return Files.createDirectories(Path.of("target", "system-logs").toAbsolutePath());
    }

    static Path repoRoot() {
        return Repository.root();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        processes.forEach(ServiceProcess::awaitStopped); // all told first: they stop side by side
        database.close();
    }
}
