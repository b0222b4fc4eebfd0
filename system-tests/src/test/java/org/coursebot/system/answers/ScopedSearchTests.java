package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.model.Vectors;
import org.coursebot.system.Repository;
import org.coursebot.system.ResultTable;
import org.coursebot.system.faults.IngestProcess;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.SiteGenerator;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One deployment, two courses (issue 19): the sample course (source {@code course}, ~100 chunks) and a generated course
 * of about ten times its size (source {@code big}), both ingested by the packaged ingest-service and embedded by the
 * fake OpenAI server (pseudo-random vectors: the hardest case for an approximate index). A question scoped to the
 * small course gets hits from it alone; the nearest neighbours of its filtered search, as chat-service's connections
 * run it (ef_search 80, iterative scan strict_order, random_page_cost 1.1), are compared with an exact scan of that
 * course; and its plan uses the HNSW index. Prints the figures (also in target/scoped-search-table.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopedSearchTests {

    private static final String BIG_BASE = "https://big.example.org/";
    private static final int K = 5;
    private static final int CANDIDATES = 20; // what chat-service takes from each ranking for k=5 (candidate-factor 4)

    Path repo;
    Path big;
    TestDatabase db;
    FakeOpenAiServer openAi;
    ChatProcess chat;

    @BeforeAll
    void ingestTwoCourses() throws Exception {
        repo = Repository.root();
        db = TestDatabase.create();
        openAi = FakeOpenAiServer.start();
        SampleCourse.ingest(repo, "scoped-course", db.url(), openAi);
        big = Files.createTempDirectory("coursebot-big-course");
        SiteGenerator.generate(big, 200, 19);
        try (IngestProcess ingest = IngestProcess.start(repo, "scoped-big", db.url(), SampleCourse.BASE_URL,
                openAi.baseUrl(), Map.of("COURSEBOT_SOURCES_BIG_DIRECTORY", big.toString(),
                        "COURSEBOT_SOURCES_BIG_BASE_URL", BIG_BASE))) {
            var started = ingest.admin("POST", "/admin/ingest", "{\"source\":\"big\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            long runId = Long.parseLong(started.body().replaceAll(".*\"runId\":(\\d+).*", "$1"));
            JsonNode run = ingest.awaitFinished(runId, Duration.ofMinutes(5));
            assertThat(run.get("status").asText()).as("%s", run).isEqualTo("succeeded");
        }
        chat = ChatProcess.start(repo, "scoped-chat", db.chatUrl(), openAi.baseUrl(), Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {chat, openAi, db}) {
            if (c != null) {
                c.close();
            }
        }
        if (big != null) {
            Repository.deleteTree(big);
        }
    }

    @Test
    void aQuestionScopedToTheSmallCourseIsAnsweredFromItAloneWithTheIndexAndItsExactNeighbours() throws Exception {
        long small = count("SELECT count(*) FROM course_chunk WHERE source = 'course'");
        long all = count("SELECT count(*) FROM course_chunk");
        assertThat(all - small).as("the big course is about ten times the small one").isBetween(8 * small, 14 * small);

        // Through the service: every hit of a scoped search is the small course's; unscoped, the big one shows up.
        List<String> questions = questions();
        Set<String> unscopedUrls = new HashSet<>();
        int scopedHits = 0;
        for (String q : questions) {
            String query = "/api/search?threshold=0&k=" + K + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
            AnswerClient.Reply scoped = chat.client.get(query + "&source=course", Duration.ofSeconds(15));
            assertThat(scoped.status()).as(scoped.describe()).isEqualTo(200);
            for (JsonNode hit : scoped.json().get("hits")) {
                assertThat(hit.get("url").asText()).as(q).startsWith(SampleCourse.BASE_URL);
                scopedHits++;
            }
            AnswerClient.Reply unscoped = chat.client.get(query, Duration.ofSeconds(15));
            unscoped.json().get("hits").forEach(h -> unscopedUrls.add(h.get("url").asText()));
        }
        assertThat(scopedHits).as("scoped searches found hits").isGreaterThan(questions.size());
        assertThat(unscopedUrls).as("unscoped searches reach the big course").anyMatch(u -> u.startsWith(BIG_BASE));
        AnswerClient.Reply unknown = chat.client.get("/api/search?q=loops&source=nope", Duration.ofSeconds(15));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("source", "no course named 'nope'", "big", "course");

        // In the database, as chat-service's connections run it (after the ANALYZE autovacuum would run): which plan the
        // planner takes for each course, and the recall of the HNSW path with the filter against an exact scan.
        db.execute("ANALYZE");
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET hnsw.ef_search = 80; SET hnsw.iterative_scan = strict_order; SET random_page_cost = 1.1");
            Scope smallCourse = scope(s, "course", questions, false);
            rows.add(smallCourse.row("course (" + small + " of " + all + " chunks), as planned"));
            // The planner reads a small course's few vectors exactly (its rows by the source index): perfect recall.
            // The HNSW path with the filter must hold too, for a course large enough to be planned that way:
            Scope forced = scope(s, "course", questions, true);
            rows.add(forced.row("course, HNSW forced (iterative scan)"));
            s.execute("SET hnsw.iterative_scan = off");
            Scope withoutIterative = scope(s, "course", questions, true);
            rows.add(withoutIterative.row("course, HNSW forced, iterative scan off"));
            s.execute("SET hnsw.iterative_scan = strict_order");
            Scope bigCourse = scope(s, "big", questions, false);
            rows.add(bigCourse.row("big (" + (all - small) + " of " + all + " chunks), as planned"));
            ResultTable.publish(repo, "Search scoped to one course (issue 19): nearest " + CANDIDATES + " chunks,"
                    + " ef_search 80, against an exact scan", "scoped-search-table.md",
                    List.of("scope", "plan", "rows returned", "recall@" + K, "recall@" + CANDIDATES), rows);
            System.out.println(forced.plan() + "\n" + bigCourse.plan());

            assertThat(smallCourse.recallK()).isEqualTo(1.0);
            assertThat(forced.plan()).contains("Index Scan using course_vector_1_embedding_idx");
            assertThat(forced.recallK()).as("recall@%d of HNSW with the filter at %d%% of the rows", K, 100 * small / all)
                    .isGreaterThanOrEqualTo(0.9);
            assertThat(withoutIterative.returned()).as("without iterative scans ef_search's 80 candidates hold too few"
                    + " of the course's chunks").isLessThan(forced.returned());
            // At ~1,100 chunks the planner reads every vector of either course exactly; from a few thousand chunks on it
            // takes HNSW with the filter (SearchStatementTests.aScopedStatementStillUsesTheHnswIndex, 5,000 chunks).
            assertThat(bigCourse.recallK()).isGreaterThanOrEqualTo(0.9);
        }
    }

    /** One scope's plan, the mean number of rows it returned and its mean recall at K and at CANDIDATES. */
    private record Scope(String plan, double returned, double recallK, double recallCandidates) {

        String row(String scope) {
            String used = plan.contains("course_vector_1_embedding_idx") ? "HNSW + filter"
                    : plan.contains("course_chunk_page_idx") ? "the course's rows (source index), exact"
                    : "every vector read, exact";
            return "| " + scope + " | " + used + " | " + String.format("%.1f", returned) + " | "
                    + String.format("%.3f", recallK) + " | " + String.format("%.3f", recallCandidates) + " |";
        }
    }

    private static Scope scope(Statement s, String source, List<String> questions, boolean forceIndex) throws SQLException {
        if (forceIndex) {
            s.execute("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off");
        }
        double returned = 0;
        double recallK = 0;
        double recallCandidates = 0;
        String plan = null;
        for (String q : questions) {
            String nearest = "SELECT v.id FROM course_vector_1 v JOIN course_chunk c ON c.id = v.id WHERE c.source = '"
                    + source + "' ORDER BY v.embedding <=> '" + Vectors.toText(FakeOpenAiServer.vectorFor(q, 1536))
                    + "' LIMIT " + CANDIDATES;
            plan = plan == null ? explain(s, nearest) : plan;
            List<String> found = ids(s, nearest);
            s.execute("RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_sort; SET enable_indexscan = off");
            List<String> exact = ids(s, nearest);
            s.execute("RESET enable_indexscan");
            if (forceIndex) {
                s.execute("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off");
            }
            assertThat(exact).hasSize(CANDIDATES);
            returned += found.size();
            recallK += overlap(found.subList(0, Math.min(K, found.size())), exact.subList(0, K)) / (double) K;
            recallCandidates += overlap(found, exact) / (double) CANDIDATES;
        }
        s.execute("RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_sort");
        int n = questions.size();
        return new Scope(plan, returned / n, recallK / n, recallCandidates / n);
    }

    private List<String> questions() throws Exception {
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve("deploy/demo-course/questions.jsonl"))) {
            questions.add(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(line).get("question").asText());
        }
        return questions.subList(0, 40);
    }

    private long count(String sql) {
        return Long.parseLong(db.queryString(sql));
    }

    private static List<String> ids(Statement s, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static int overlap(List<String> a, List<String> b) {
        Set<String> common = new HashSet<>(a);
        common.retainAll(new HashSet<>(b));
        return common.size();
    }

    private static String explain(Statement s, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
