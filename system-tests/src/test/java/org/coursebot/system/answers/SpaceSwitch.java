package org.coursebot.system.answers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebot.model.Vectors;
import org.coursebot.system.faults.IngestProcess;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.TestDatabase;

/**
 * Changing the embedding model under load, as an operator does it (docs/embedding-spaces.md), with both services as
 * processes: students search and ask without pause while a second space is created, built, compared with the first,
 * activated, and rolled back. Space 1 is text-embedding-3-small at 1536 dimensions, space 2 the same model shortened
 * to 512 (the fake OpenAI server gives each text and dimension its own vector, ~50 ms a request). Used by
 * {@code SpaceSwitchTests} (the assertions) and {@code SpaceSwitchBenchmark} (deploy/bench/space-switch.sh).
 */
final class SpaceSwitch implements AutoCloseable {

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    /** chat-service's coursebot.search.space-poll-interval (its default). */
    static final Duration POLL = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final FakeOpenAiServer openAi;
    final ChatProcess chat;
    final IngestProcess ingest;
    private final HttpClient http = HttpClient.newHttpClient();

    private SpaceSwitch(TestDatabase db, FakeOpenAiServer openAi, ChatProcess chat, IngestProcess ingest) {
        this.db = db;
        this.openAi = openAi;
        this.chat = chat;
        this.ingest = ingest;
    }

    /** The sample course ingested into space 1, chat-service over it, ingest-service left running beside it. */
    static SpaceSwitch start(Path repo, String name) throws Exception {
        TestDatabase db = TestDatabase.create();
        FakeOpenAiServer openAi = null;
        ChatProcess chat = null;
        try {
            openAi = FakeOpenAiServer.start().embeddingLatency(Duration.ofMillis(30), Duration.ofMillis(70), 18);
            SampleCourse.ingest(repo, name + "-first-ingest", db.url(), openAi);
            chat = ChatProcess.start(repo, name + "-chat", db.chatUrl(), openAi.baseUrl(),
                    Map.of("ADMIN_TOKEN", IngestProcess.TOKEN));
            IngestProcess ingest = IngestProcess.start(repo, name + "-ingest", db.url(), SampleCourse.BASE_URL,
                    openAi.baseUrl(), Map.of("CHAT_SERVICE_URL", chat.url(),
                            "COURSEBOT_SOURCES_COURSE_DIRECTORY", repo.resolve("deploy/demo-course").toString()));
            return new SpaceSwitch(db, openAi, chat, ingest);
        } catch (Exception | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {chat, openAi, db}) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
    }

    /** When each step happened ({@link System#nanoTime()}), every exchange of the load, and what the steps answered. */
    record Outcome(List<AnswerLoad.Sample> samples, long measured, long buildStarted, long buildEnded, long activated,
                   long rolledBack, long ended, JsonNode build, JsonNode comparison, JsonNode spaces) {

        /** The exchanges sent in [from, to). */
        List<AnswerLoad.Sample> sent(long from, long to) {
            return samples.stream().filter(s -> s.sent() >= from && s.sent() < to).toList();
        }
    }

    /**
     * {@code searchers} + {@code askers} students asking without pause ({@code pause} between a student's requests);
     * {@code warmUp} not measured (JIT, caches), {@code phase} of load alone, then the build (while asking),
     * {@code phase} on space 2, {@code phase} after the rollback to space 1.
     */
    Outcome run(int searchers, int askers, Duration pause, Duration warmUp, Duration phase) throws Exception {
        try (AnswerLoad load = AnswerLoad.start(chat.client, searchers, askers, pause, CLIENT_TIMEOUT)) {
            Thread.sleep(warmUp.toMillis());
            long measured = System.nanoTime();
            Thread.sleep(phase.toMillis());
            long buildStarted = System.nanoTime();
            expect(ingest.admin("POST", "/admin/spaces", "{\"model\":\"text-embedding-3-small\",\"dimensions\":512}"), 201);
            JsonNode started = expect(ingest.admin("POST", "/admin/spaces/2/build", "{}"), 202);
            JsonNode build = ingest.awaitFinished(started.get("runId").asLong(), Duration.ofMinutes(3));
            long buildEnded = System.nanoTime();
            JsonNode comparison = compare();
            long activated = System.nanoTime();
            expect(ingest.admin("POST", "/admin/spaces/2/activate", null), 200);
            Thread.sleep(phase.toMillis());
            long rolledBack = System.nanoTime();
            expect(ingest.admin("POST", "/admin/spaces/1/activate", null), 200);
            Thread.sleep(phase.toMillis());
            long ended = System.nanoTime();
            load.close();
            JsonNode spaces = expect(ingest.admin("GET", "/admin/spaces", null), 200);
            return new Outcome(load.samples(), measured, buildStarted, buildEnded, activated, rolledBack, ended, build,
                    comparison, spaces);
        }
    }

    /** chat-service's comparison of the two spaces on the load's questions. */
    private JsonNode compare() throws IOException, InterruptedException {
        List<Map<String, String>> questions = SampleCourse.QUESTIONS.stream()
                .map(q -> Map.of("question", q)).toList();
        String body = JSON.writeValueAsString(Map.of("questions", questions, "spaces", Map.of("baseline", 1, "candidate", 2)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(chat.url() + "/admin/migration/compare"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + IngestProcess.TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return expect(response, 200);
    }

    /**
     * The searches whose hits could not have come from the space they report: the first hit's similarity must be the
     * cosine, in that space's vectors, between a chunk of the hit's section and the question embedded with that space's
     * model and dimension (the fake's vectors are pseudo-random, so an accidental match is out of the question). Each
     * (question, space) pair is checked once. Returns a description per mismatch.
     */
    List<String> searchesNotFromTheirSpace(Outcome outcome) throws SQLException {
        Map<String, Double> checked = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> dimensions = Map.of(1, 1536, 2, 512);
        try (Connection c = db.connect()) {
            for (AnswerLoad.Sample s : outcome.samples()) {
                if (!s.kind().equals("search") || s.reply().status() != 200) {
                    continue;
                }
                JsonNode json = s.reply().json();
                JsonNode hit = json.at("/hits/0");
                if (hit.isMissingNode()) {
                    continue;
                }
                int space = json.at("/embeddingSpace/id").asInt();
                String question = question(s);
                String key = space + " " + question + " " + hit.get("id").asText();
                if (checked.containsKey(key)) {
                    continue;
                }
                String sql = """
                        SELECT bool_or(abs((1 - (v.embedding <=> ?::vector)) - ?) < 1e-6)
                          FROM course_vector_%d v JOIN course_chunk c ON c.id = v.id
                          JOIN course_chunk h ON h.page_url = c.page_url AND h.heading_path = c.heading_path
                         WHERE h.id = ?""".formatted(space);
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, Vectors.toText(FakeOpenAiServer.vectorFor(question, dimensions.get(space))));
                    p.setDouble(2, hit.get("similarity").asDouble());
                    p.setObject(3, UUID.fromString(hit.get("id").asText()));
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        checked.put(key, hit.get("similarity").asDouble());
                        if (!rs.getBoolean(1)) {
                            wrong.add("'" + question + "' reported space " + space + " with similarity "
                                    + hit.get("similarity").asDouble() + " for " + hit.get("id").asText());
                        }
                    }
                }
            }
        }
        return wrong;
    }

    /** The question a load sample asked: the load cycles through the sample course's questions. */
    private static String question(AnswerLoad.Sample s) {
        return s.question();
    }

    /** p50 and p99 in ms of the exchanges, or "-" when there are none. */
    static String percentiles(List<AnswerLoad.Sample> samples) {
        if (samples.isEmpty()) {
            return "- | -";
        }
        long[] ms = samples.stream().mapToLong(s -> (s.ended() - s.sent()) / 1_000_000).sorted().toArray();
        return ms[(int) Math.floor(0.5 * (ms.length - 1))] + " | " + ms[(int) Math.floor(0.99 * (ms.length - 1))];
    }

    static long p99(List<AnswerLoad.Sample> samples) {
        long[] ms = samples.stream().mapToLong(s -> (s.ended() - s.sent()) / 1_000_000).sorted().toArray();
        return ms.length == 0 ? 0 : ms[(int) Math.floor(0.99 * (ms.length - 1))];
    }

    static int space(AnswerLoad.Sample s) {
        return s.reply().status() == 200 ? s.reply().json().at("/embeddingSpace/id").asInt(-1) : -1;
    }

    private static JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " -> "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {ingest, chat, openAi, db}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
