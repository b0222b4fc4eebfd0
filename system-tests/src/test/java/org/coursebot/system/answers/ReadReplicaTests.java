package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.system.Repository;
import org.coursebot.system.ResultTable;
import org.coursebot.system.faults.IngestProcess;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.PrivateCluster;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * chat-service on a read replica (issue 31): a primary and a streaming hot standby of it on this machine (two private
 * clusters, pg_basebackup), the sample course ingested on the primary, chat-service searching the standby
 * (CHAT_DATABASE_URL) and logging questions to the primary (INSIGHTS_DATABASE_URL). Answers come from the standby, the
 * question log lands on the primary, an activation on the primary reaches chat-service through the standby, and a
 * standby whose replay is held back keeps chat-service ready on what it has, saying how far behind it is; a question
 * log pointed at the standby by mistake says so. What it observed is printed (and kept in
 * target/read-replica-table.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTests {

    /** chat-service's coursebot.search.space-poll-interval here (2 s by default). */
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    Path repo;
    PrivateCluster primary;
    PrivateCluster standby;
    TestDatabase db;
    FakeOpenAiServer openAi;
    ChatProcess chat;
    IngestProcess ingest;
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void theCourseIngestedOnThePrimaryAndChatServiceOnTheStandby() throws Exception {
        repo = Repository.root();
        primary = PrivateCluster.start();
        db = TestDatabase.create(primary.adminUrl());
        standby = primary.startStandby(); // before the ingest: the course reaches it by streaming, not in the copy
        openAi = FakeOpenAiServer.start();
        SampleCourse.ingest(repo, "replica-first-ingest", db.url(), openAi);
        long ingested = System.nanoTime();
        String written = onPrimary("SELECT pg_current_wal_lsn()::text");
        awaitTrue("the standby replays the ingest", Duration.ofSeconds(30), () -> replayed(written));
        record("sample course ingested on the primary (" + onPrimary("SELECT count(*) FROM course_chunk")
                + " chunks): replayed on the standby", since(ingested) + " after the ingest's end", "");

        chat = ChatProcess.start(repo, "replica-chat", standby.urlOf(db.chatUrl()), openAi.baseUrl(), Map.of(
                "INSIGHTS_DATABASE_URL", db.insightsUrl(),
                "COURSEBOT_SEARCH_SPACE_POLL_INTERVAL", POLL.toMillis() + "ms", "ADMIN_TOKEN", IngestProcess.TOKEN));
        ingest = IngestProcess.start(repo, "replica-ingest", db.url(), SampleCourse.BASE_URL, openAi.baseUrl(),
                Map.of("CHAT_SERVICE_URL", chat.url(),
                        "COURSEBOT_SOURCES_COURSE_DIRECTORY", repo.resolve("deploy/demo-course").toString()));
    }

    @AfterAll
    void printWhatWasObservedAndCleanUp() throws Exception {
        ResultTable.publish(repo, "chat-service on a read replica", "read-replica-table.md",
                List.of("step", "observed", "chat-service's replication check"), table);
        for (AutoCloseable c : new AutoCloseable[] {ingest, chat, openAi, db, standby, primary}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void answersComeFromTheStandbyAndTheQuestionLogLandsOnThePrimary() throws Exception {
        JsonNode replication = check("replication");
        assertThat(replication.at("/data/standby").asBoolean()).as("chat-service searches a standby: " + replication)
                .isTrue();
        assertThat(replication.at("/data/receivingWal").asBoolean()).as(replication.toString()).isTrue();

        List<String> answerIds = new ArrayList<>();
        for (int i = 0; i < SampleCourse.QUESTIONS.size(); i++) {
            AnswerClient.Reply reply = chat.client.postJson("/api/chat", SampleCourse.ask(i), CLIENT_TIMEOUT);
            assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
            JsonNode answer = reply.json();
            assertThat(answer.get("citations")).as("cited from the standby's chunks: " + reply.body()).isNotEmpty();
            assertThat(answer.at("/embeddingSpace/id").asInt()).isEqualTo(1);
            answerIds.add(answer.get("answerId").asText());
        }
        long asked = System.nanoTime();
        String logged = "SELECT count(*) FROM question_log WHERE answer_id::text = ANY(?)";
        awaitTrue("the question log's rows on the primary", Duration.ofSeconds(15),
                () -> count(db.url(), primary, logged, answerIds) == answerIds.size());
        String onPrimary = since(asked);
        awaitTrue("the question log's rows replayed on the standby", Duration.ofSeconds(15),
                () -> count(db.url(), standby, logged, answerIds) == answerIds.size());
        record(answerIds.size() + " answers from the standby; their question log rows",
                "on the primary " + onPrimary + " after the last answer, on the standby " + since(asked),
                lag(check("replication")));
        assertThat(chat.logErrorsSince(0)).as("errors in chat-service's log").isEmpty();
    }

    @Test
    @Order(2)
    void anActivationOnThePrimaryReachesChatServiceThroughTheStandby() throws Exception {
        expect(ingest.admin("POST", "/admin/spaces", "{\"model\":\"text-embedding-3-small\",\"dimensions\":512}"), 201);
        JsonNode started = expect(ingest.admin("POST", "/admin/spaces/2/build", "{}"), 202);
        JsonNode build = ingest.awaitFinished(started.get("runId").asLong(), Duration.ofMinutes(3));
        assertThat(build.get("status").asText()).as(build.toString()).isEqualTo("succeeded");

        // ingest-service asks chat-service's probe first, which reads space 2 from the standby.
        expect(ingest.admin("POST", "/admin/spaces/2/activate", null), 200);
        long activated = System.nanoTime();
        awaitTrue("space 2 active on the standby", Duration.ofSeconds(30), () -> activeOnStandby() == 2);
        String replayed = since(activated);
        awaitTrue("chat-service searching space 2", POLL.plusSeconds(10), () -> searchedSpace() == 2);
        long followed = System.nanoTime() - activated;
        record("space 2 activated on the primary", "on the standby within " + replayed + ", searched by chat-service "
                + ms(followed) + " after (poll interval " + POLL.toMillis() + " ms)", lag(check("replication")));

        assertThat(Duration.ofNanos(followed)).as("the activation followed within the poll interval and the lag")
                .isLessThan(POLL.plusSeconds(5));
        AnswerClient.Reply reply = chat.client.postJson("/api/chat", SampleCourse.ask(0), CLIENT_TIMEOUT);
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        assertThat(reply.json().at("/embeddingSpace/id").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aStandbyHeldBackKeepsChatServiceReadyOnWhatItHasAndSaysHowFarBehind() throws Exception {
        standby.pauseReplay();
        try {
            // A space created on the primary is not on the standby yet: ingest-service's activation is refused,
            // saying why.
            expect(ingest.admin("POST", "/admin/spaces", "{\"model\":\"text-embedding-3-small\",\"dimensions\":256}"),
                    201);
            HttpResponse<String> refused = ingest.admin("POST", "/admin/spaces/3/activate", null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("no embedding space 3 on this hot standby", "replay is paused");

            expect(ingest.admin("POST", "/admin/spaces/1/activate", null), 200); // the rollback, on the primary
            long rolledBack = System.nanoTime();
            awaitTrue("the standby received WAL it does not replay", Duration.ofSeconds(10),
                    () -> check("replication").at("/data/bytesToReplay").asLong() > 0);
            Thread.sleep(POLL.multipliedBy(4).toMillis());
            AnswerClient.Reply ready = ready();
            JsonNode replication = named(ready.json(), "replication");
            record("replay paused on the standby; space 1 activated on the primary",
                    "after " + since(rolledBack) + ": chat-service still on space " + searchedSpace() + ", ready "
                            + ready.status(), lag(replication));
            assertThat(ready.status()).as("ready while behind: " + ready.body()).isEqualTo(200);
            assertThat(replication.at("/data/replayPaused").asBoolean()).isTrue();
            assertThat(replication.at("/data/replayedAllReceived").asBoolean()).isFalse();
            assertThat(replication.at("/data/lag").asText()).startsWith("replay is paused");
            assertThat(searchedSpace()).as("what the standby has: the activation is not replayed").isEqualTo(2);
            AnswerClient.Reply reply = chat.client.postJson("/api/chat", SampleCourse.ask(1), CLIENT_TIMEOUT);
            assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
            assertThat(reply.json().at("/embeddingSpace/id").asInt()).isEqualTo(2);
        } finally {
            standby.resumeReplay();
        }
        long resumed = System.nanoTime();
        awaitTrue("chat-service back on space 1", POLL.plusSeconds(10), () -> searchedSpace() == 1);
        String followed = since(resumed);
        awaitTrue("the standby caught up", Duration.ofSeconds(10),
                () -> check("replication").at("/data/replayedAllReceived").asBoolean());
        record("replay resumed", "chat-service on space 1 " + followed + " after", lag(check("replication")));
    }

    @Test
    @Order(4)
    void aQuestionLogPointedAtTheStandbySaysItMustNameThePrimary() throws Exception {
        try (ChatProcess wrong = ChatProcess.start(repo, "replica-chat-log-on-standby", standby.urlOf(db.chatUrl()),
                openAi.baseUrl(), Map.of("INSIGHTS_DATABASE_URL", standby.urlOf(db.insightsUrl())))) {
            AnswerClient.Reply reply = wrong.client.postJson("/api/chat", SampleCourse.ask(2), CLIENT_TIMEOUT);
            assertThat(reply.status()).as("the answer is not affected: " + reply.describe()).isEqualTo(200);
            String said = "INSIGHTS_DATABASE_URL must name the primary, never a read replica";
            awaitTrue("chat-service saying where the log must point", Duration.ofSeconds(15),
                    () -> wrong.logTail(200).contains(said));
            String warning = wrong.logTail(200).lines().filter(l -> l.contains("question log: a batch"))
                    .findFirst().orElseThrow();
            record("the question log pointed at the standby", warning.substring(warning.indexOf("question log")), "");
        }
    }

    /** The id of the space chat-service searches, as its readiness says. */
    private int searchedSpace() {
        return check("embedding-space").at("/data/id").asInt(-1);
    }

    /** {@code /q/health/ready}, whatever its status (503 has the same body). */
    private AnswerClient.Reply ready() {
        return chat.client.get("/q/health/ready", Duration.ofSeconds(10));
    }

    /** One check of chat-service's readiness, by name. */
    private JsonNode check(String name) {
        return named(ready().json(), name);
    }

    private static JsonNode named(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + health);
    }

    private static String lag(JsonNode replication) {
        JsonNode d = replication.path("data");
        return String.format(Locale.ROOT, "%s; bytesToReplay %s, lastReplayedCommitAgeMs %s",
                d.path("lag").asText(), d.path("bytesToReplay").asText("-"),
                d.path("lastReplayedCommitAgeMs").asText("-"));
    }

    /** A row of the table, printed as it is observed. */
    private void record(String step, String observed, String replication) {
        String row = "| " + step + " | " + observed + " | " + replication + " |";
        System.out.println("read replica: " + row);
        table.add(row);
    }

    private String onPrimary(String sql) {
        return db.queryString(sql);
    }

    /** Whether the standby has replayed the primary's WAL up to {@code lsn}. */
    private boolean replayed(String lsn) {
        try (Connection c = connect(db.url(), standby);
             PreparedStatement p = c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            p.setString(1, lsn);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private int activeOnStandby() {
        try (Connection c = connect(db.url(), standby);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM embedding_space WHERE status = 'active'")) {
            return rs.next() ? rs.getInt(1) : -1;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(String url, PrivateCluster cluster, String sql, List<String> ids) {
        try (Connection c = connect(url, cluster); PreparedStatement p = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", ids.toArray());
            p.setArray(1, array);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code url}'s role and database on {@code cluster}, by JDBC. */
    private static Connection connect(String url, PrivateCluster cluster) throws SQLException {
        DatabaseUrl there = DatabaseUrl.parse("url", cluster.urlOf(url));
        Properties credentials = new Properties();
        credentials.setProperty("user", there.user());
        credentials.setProperty("password", there.password());
        return new org.postgresql.Driver().connect(there.jdbcUrl(), credentials);
    }

    private static void awaitTrue(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + limit.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static JsonNode expect(HttpResponse<String> response, int status) throws java.io.IOException {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " -> "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String since(long start) {
        return ms(System.nanoTime() - start);
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
