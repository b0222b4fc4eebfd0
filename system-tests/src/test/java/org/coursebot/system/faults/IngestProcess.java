package org.coursebot.system.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.coursebot.system.ServiceProcess;

/**
 * The packaged ingest-service as a process, started with the container's JVM flags
 * ({@code ingest-service/src/main/docker/jvm.options}, one malloc arena as the image sets it) over a course site
 * served on 127.0.0.1, driven through its admin API as an operator would. It can be killed with SIGKILL.
 */
public final class IngestProcess implements AutoCloseable {

    public static final String TOKEN = "fault-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long peakRssKb;

    private IngestProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts ingest-service with source {@code course} at {@code siteUrl}; {@code openAiUrl} null means the
     * offline local model. {@code extraEnv} overrides anything.
     */
    public static IngestProcess start(Path repo, String name, String databaseUrl, String siteUrl, String openAiUrl,
            Map<String, String> extraEnv) throws IOException, InterruptedException {
        int port = ServiceProcess.freePort();
        Path log = repo.resolve("system-tests/target/system-logs").resolve(name + ".log");
        Map<String, String> settings = new HashMap<>(Map.of(
                "DATABASE_URL", databaseUrl, "ADMIN_TOKEN", TOKEN, "PORT", String.valueOf(port),
                "MALLOC_ARENA_MAX", "1",
                "COURSEBOT_SOURCES_COURSE_BASE_URL", siteUrl,
                "COURSEBOT_SOURCES_COURSE_ALLOW_PRIVATE_NETWORK", "true",
                "COURSEBOT_SOURCES_COURSE_DELAY", "0s",
                "COURSEBOT_SOURCES_COURSE_PART_PATTERN", "/part(?<part>\\d+)/(?<module>[a-z])/"));
        if (openAiUrl != null) {
            settings.put("OPENAI_API_KEY", "sk-fault-test");
            settings.put("COURSEBOT_EMBEDDING_BASE_URL", openAiUrl);
            // Retries wait 0.2 s, 0.4 s, ... instead of 1 s, 2 s, ...: the same policy, a shorter suite.
            settings.put("COURSEBOT_EMBEDDING_RETRY_INITIAL_BACKOFF", "200ms");
        }
        settings.putAll(extraEnv);
        IngestProcess started = new IngestProcess(
                ServiceProcess.start(repo, "ingest-service", ServiceProcess.imageFlags(repo, "ingest-service"), settings, log), port, log);
        try {
            started.awaitLive();
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** POST /admin/ingest: the status code and body. */
    public HttpResponse<String> trigger() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + "/admin/ingest")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"course\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin API call with the token: {@code body} null for none; returns the response, whatever its status. */
    public HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a run and returns its id; fails the test unless the answer is 202. */
    public long startRun() throws IOException, InterruptedException {
        HttpResponse<String> started = trigger();
        if (started.statusCode() != 202) {
            throw new AssertionError("ingest did not start: " + started.statusCode() + " " + started.body());
        }
        return JSON.readTree(started.body()).get("runId").asLong();
    }

    /** Starts a run and waits for its end; returns the run as the admin API shows it. */
    public JsonNode ingest(Duration limit) throws IOException, InterruptedException {
        return awaitFinished(startRun(), limit);
    }

    public JsonNode run(long id) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/admin/ingest/runs/" + id))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET run " + id + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Polls the run until it is no longer running (a 503 while the database is away is waited out). */
    public JsonNode awaitFinished(long id, Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            sampleRss();
            try {
                JsonNode run = run(id);
                if (!"running".equals(run.get("status").asText())) {
                    Thread.sleep(200); // the lock is released just after the status is written
                    return run;
                }
            } catch (IOException unavailable) {
                if (!process.isAlive()) {
                    throw new AssertionError("ingest-service exited (" + process.exitValue() + "); log " + log);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + id + " did not finish in " + limit + "; log " + log);
    }

    /** GET /q/health/ready's status code. */
    public int readiness() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Polls readiness until it answers 200 or the time is up; true when it did. */
    public boolean awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (readiness() == 200) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** The highest resident set size seen (VmHWM of /proc), in MB. */
    public double peakRssMb() {
        sampleRss();
        return peakRssKb / 1024.0;
    }

    private void sampleRss() {
        try {
            peakRssKb = Math.max(peakRssKb, ServiceProcess.peakRssKb(process));
        } catch (IOException | RuntimeException gone) {
            // the process ended: keep the last figure
        }
    }

    /** SIGKILL, as an out-of-memory killer or a host failure would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        sampleRss();
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private void awaitLive() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("ingest-service exited (" + process.exitValue() + "); log " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("ingest-service not live after 120 s; log " + log);
    }

    /** The last lines of the log, for an assertion message. */
    public String logTail(int lines) {
        return ServiceProcess.logTail(log, lines);
    }

    @Override
    public void close() {
        ServiceProcess.stop(process);
    }
}
