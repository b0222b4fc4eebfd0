package org.coursebot.ingest.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.SiteGenerator;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole ingest against the real database, a generated course site and the fake OpenAI server, through
 * the admin API as an operator drives it. The tests build on each other's state, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CourseSiteResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestPipelineTests {

    private static final int PAGES_WITH_INDEX = CourseSiteResource.PAGES + 1;

    TestDatabase database;
    FakeOpenAiServer openAi;
    Path site;

    @Test
    @Order(1)
    void firstIngestEmbedsAndWritesEveryPage() throws Exception {
        openAi.reset();
        JsonPath run = ingest();
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getInt("counts.pagesNew")).isEqualTo(PAGES_WITH_INDEX);
        assertThat(run.getInt("counts.pagesFailed")).isZero();
        int chunks = count("SELECT count(*) FROM course_content");
        assertThat(run.getInt("counts.chunksEmbedded")).isEqualTo(chunks).isGreaterThan(PAGES_WITH_INDEX);
        assertThat(openAi.received("/embeddings")).hasSize(run.getInt("counts.embeddingRequests"));
        assertThat(run.getLong("counts.tokens")).isEqualTo(
                openAi.received("/embeddings").stream().mapToLong(FakeOpenAiServer.Received::totalTokens).sum());
        assertThat(count("SELECT count(*) FROM page")).isEqualTo(PAGES_WITH_INDEX);
        assertThat(count("SELECT count(*) FROM course_content WHERE embedding_model <> 'text-embedding-3-small/1536'")).isZero();
        assertThat(count("SELECT count(*) FROM course_content c WHERE parent_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM course_content p WHERE p.id = c.parent_id AND p.page_url = c.page_url)")).isZero();
        assertThat(count("SELECT count(*) FROM course_content WHERE part_id = '1' AND module_id = 'a'")).isPositive();
        assertThat(count("SELECT count(*) FROM course_vocabulary")).isGreaterThan(100);
        assertVocabularyIsTheContents();
    }

    @Test
    @Order(2)
    void secondIngestOfTheUnchangedSiteMakesNoRequestAndWritesNoChunk() throws Exception {
        openAi.reset();
        String before = text("SELECT max(updated_at)::text FROM course_content");
        JsonPath run = ingest();
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(openAi.received("/embeddings")).isEmpty();
        assertThat(run.getInt("counts.pagesUnchanged")).isEqualTo(PAGES_WITH_INDEX);
        assertThat(run.getInt("counts.chunksEmbedded")).isZero();
        assertThat(text("SELECT max(updated_at)::text FROM course_content")).isEqualTo(before);
    }

    @Test
    @Order(3)
    void editingOneParagraphReEmbedsOnlyThatPagesChangedChunksAndKeepsIds() throws Exception {
        String page = pageUrl(3);
        Set<String> idsBefore = strings("SELECT id::text FROM course_content WHERE page_url = '" + page + "'");
        openAi.reset();
        edit(3, "An edited sentence about streaming responses.");
        JsonPath run = ingest();
        assertThat(run.getInt("counts.pagesChanged")).isEqualTo(1);
        // The edit sits in one section; only its chunk(s) go out again, in one request.
        assertThat(run.getInt("counts.chunksEmbedded")).isBetween(1, 2);
        assertThat(openAi.received("/embeddings")).singleElement().satisfies(r -> {
            assertThat(r.inputs()).hasSize(run.getInt("counts.chunksEmbedded")).allSatisfy(i -> assertThat(i).startsWith("Lesson 3:"));
            assertThat(String.join(" ", r.inputs())).contains("An edited sentence");
        });
        assertThat(strings("SELECT id::text FROM course_content WHERE page_url = '" + page + "'")).isEqualTo(idsBefore);
        assertThat(count("SELECT count(*) FROM course_content WHERE content LIKE '%An edited sentence%'")).isPositive();
        assertVocabularyIsTheContents();
    }

    @Test
    @Order(4)
    void aPageThatFailsToEmbedIsLeftAsItWasAndTheOthersAreWritten() throws Exception {
        openAi.reset();
        edit(5, "First change.");
        edit(6, "Second change.");
        openAi.failEmbeddings(FakeOpenAiServer.Failure.status(400));
        JsonPath run = ingest();
        assertThat(run.getInt("counts.pagesFailed")).isEqualTo(1);
        assertThat(run.getInt("counts.pagesChanged")).isEqualTo(1);
        assertThat(run.getList("errors.reason", String.class)).singleElement().asString().contains("embedding");
        String failedUrl = run.getString("errors[0].url");
        assertThat(failedUrl).isIn(pageUrl(5), pageUrl(6));
        assertThat(count("SELECT count(*) FROM course_content WHERE page_url = '" + failedUrl
                + "' AND (content LIKE '%First change.%' OR content LIKE '%Second change.%')")).isZero();
        assertThat(count("SELECT count(*) FROM course_content WHERE content LIKE '%First change.%'"
                + " OR content LIKE '%Second change.%'")).isPositive();

        // The failed page kept its old hash, so the next run completes it.
        openAi.reset();
        JsonPath next = ingest();
        assertThat(next.getInt("counts.pagesChanged")).isEqualTo(1);
        assertThat(next.getInt("counts.pagesFailed")).isZero();
        assertThat(count("SELECT count(*) FROM course_content WHERE page_url = '" + failedUrl
                + "' AND (content LIKE '%First change.%' OR content LIKE '%Second change.%')")).isPositive();
    }

    @Test
    @Order(5)
    void aDeletedPageLosesItsChunks() throws Exception {
        String page = pageUrl(9);
        assertThat(count("SELECT count(*) FROM course_content WHERE page_url = '" + page + "'")).isPositive();
        Files.delete(site.resolve(SiteGenerator.path(9)));
        JsonPath run = ingest();
        assertThat(run.getInt("counts.pagesGone")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM course_content WHERE page_url = '" + page + "'")).isZero();
        assertThat(count("SELECT count(*) FROM page WHERE url = '" + page + "'")).isZero();
        assertVocabularyIsTheContents();
    }

    @Test
    @Order(6)
    void aDryRunEmbedsNothingWritesNoChunkAndReportsTheCost() throws Exception {
        openAi.reset();
        edit(11, "A change only a dry run sees.");
        String before = text("SELECT max(updated_at)::text FROM course_content");
        JsonPath run = ingest("{\"source\":\"site\",\"dryRun\":true}");
        assertThat(run.getBoolean("dryRun")).isTrue();
        assertThat(openAi.received("/embeddings")).isEmpty();
        assertThat(run.getInt("counts.chunksEmbedded")).isPositive();
        assertThat(run.getInt("counts.embeddingRequests")).isEqualTo(1);
        assertThat(run.getLong("counts.tokens")).isPositive();
        assertThat(run.getDouble("estimatedCostUsd")).isPositive();
        assertThat(text("SELECT max(updated_at)::text FROM course_content")).isEqualTo(before);

        // The real run then makes exactly the requests and tokens the preview said.
        JsonPath real = ingest();
        assertThat(real.getInt("counts.embeddingRequests")).isEqualTo(run.getInt("counts.embeddingRequests"));
        assertThat(real.getLong("counts.tokens")).isEqualTo(run.getLong("counts.tokens"));
    }

    @Test
    @Order(7)
    void aSecondTriggerWhileOneRunsIsRefusedWithTheRunningId() throws Exception {
        edit(12, "Slow change.");
        openAi.reset();
        openAi.failEmbeddings(FakeOpenAiServer.Failure.slow(Duration.ofSeconds(3)));
        long first = start("{\"source\":\"site\"}");
        given().auth().oauth2(CourseSiteResource.TOKEN).contentType("application/json").body("{}")
                .post("/admin/ingest").then().statusCode(409)
                .contentType("application/problem+json")
                .body("runId", equalTo((int) first)).body("type", notNullValue());
        awaitFinished(first);
    }

    @Test
    @Order(8)
    void theAdvisoryLockHeldByAnotherInstanceRefusesARun() throws Exception {
        try (Connection other = database.connect(); Statement s = other.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + lockKey() + ")")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            given().auth().oauth2(CourseSiteResource.TOKEN).contentType("application/json").body("{}")
                    .post("/admin/ingest").then().statusCode(409);
            s.execute("SELECT pg_advisory_unlock(" + lockKey() + ")");
        }
        awaitFinished(start("{}"));
    }

    @Test
    @Order(9)
    void aRunLeftRunningByADeadProcessIsMarkedFailedByTheNextOne() throws Exception {
        database.execute("INSERT INTO ingest_run (source, trigger, status) VALUES ('site', 'admin', 'running')");
        long stale = Long.parseLong(text("SELECT max(id) FROM ingest_run"));
        JsonPath run = ingest();
        assertThat(run.getString("status")).isEqualTo("succeeded");
        JsonPath old = given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs/" + stale)
                .then().statusCode(200).extract().jsonPath();
        assertThat(old.getString("status")).isEqualTo("failed");
        assertThat(old.getString("reason")).startsWith("died:");
        assertThat(old.getList("errors")).as("a run-level reason is not a page error").isEmpty();
        assertThat(old.getInt("counts.pagesFailed")).isZero();
    }

    @Test
    @Order(10)
    void aDatabaseOutageMidRunLosesNothingAndTheNextRunCompletesTheWork() throws Exception {
        edit(13, "Written after the outage.");
        int before = count("SELECT count(*) FROM course_content");
        openAi.reset();
        openAi.failEmbeddings(FakeOpenAiServer.Failure.slow(Duration.ofSeconds(2)));
        long id = start("{\"source\":\"site\"}");
        Thread.sleep(700);
        // Every connection of the service drops, the advisory lock's included, while the page waits for vectors.
        database.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        JsonPath broken = awaitFinished(id);
        assertThat(broken.getString("status")).isIn("succeeded", "failed");
        assertThat(count("SELECT count(*) FROM course_content")).as("nothing half-written or lost").isEqualTo(before);

        JsonPath next = ingest();
        assertThat(next.getString("status")).isEqualTo("succeeded");
        assertThat(next.getInt("counts.pagesFailed")).isZero();
        assertThat(count("SELECT count(*) FROM course_content WHERE content LIKE '%Written after the outage.%'")).isPositive();
    }

    @Test
    @Order(11)
    void aRunWhosePagesAllFailSaysWhyApartFromThePagesErrors() throws Exception {
        for (int page = 0; page < CourseSiteResource.PAGES; page++) {
            edit(page, "Rejected edit " + page + ".");
        }
        openAi.reset();
        // A 400 fails only the inputs it names: every page fails alone, and the run goes on to the end.
        openAi.faultPlan(n -> FakeOpenAiServer.Failure.status(400));
        JsonPath run = ingest();
        openAi.reset();
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("reason")).startsWith("every page that needed writing failed").contains("400");
        assertThat(run.getInt("counts.pagesFailed")).isEqualTo(CourseSiteResource.PAGES);
        assertThat(run.getList("errors")).hasSize(CourseSiteResource.PAGES);
        assertThat(run.getString("finished")).isNotNull();

        JsonPath next = ingest();
        assertThat(next.getString("status")).isEqualTo("succeeded");
        assertThat(next.getString("reason")).isNull();
        assertThat(next.getInt("counts.pagesChanged") + next.getInt("counts.pagesNew")).isEqualTo(CourseSiteResource.PAGES);
    }

    @Test
    @Order(12)
    void aKeyTheApiRefusesStopsTheRunAtItsFirstRequestAndLeavesEveryPageAsItWas() throws Exception {
        for (int page = 0; page < CourseSiteResource.PAGES; page++) {
            edit(page, "Refused edit " + page + ".");
        }
        String pagesBefore = editedPageRows();
        String chunksBefore = text("SELECT count(*) || ' ' || max(updated_at)::text FROM course_content");
        openAi.reset();
        openAi.faultPlan(n -> FakeOpenAiServer.Failure.unauthorized());
        long started = System.nanoTime();
        JsonPath run = ingest();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int requests = openAi.received("/embeddings").size();
        openAi.reset();
        System.out.printf("a run against an API that refuses the key (401): %s in %d ms, %d request(s), reason: %s%n",
                run.getString("status"), took.toMillis(), requests, run.getString("reason"));
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("reason")).startsWith("the embeddings API at " + URI.create(openAi.baseUrl()).getAuthority()
                + " rejected the API key (401)").contains("the run stopped there, 0 pages written before it");
        // Without the stop: one refused request per page (groups of one page here), and every page failed.
        assertThat(requests).isEqualTo(1);
        assertThat(run.getInt("counts.pagesFailed")).isZero();
        assertThat(run.getList("errors")).as("a run-level reason is not a page error").isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(editedPageRows()).as("no lesson page row touched").isEqualTo(pagesBefore);
        assertThat(text("SELECT count(*) || ' ' || max(updated_at)::text FROM course_content")).isEqualTo(chunksBefore);

        JsonPath next = ingest();
        assertThat(next.getString("status")).isEqualTo("succeeded");
        assertThat(next.getInt("counts.pagesChanged")).isEqualTo(CourseSiteResource.PAGES);
        assertThat(count("SELECT count(*) FROM course_content WHERE content LIKE '%Refused edit%'")).isPositive();
    }

    @Test
    @Order(13)
    void aCancelledRunSaysSoAndKeepsItsCounts() throws Exception {
        edit(3, "Cancelled edit.");
        openAi.reset();
        openAi.failEmbeddings(FakeOpenAiServer.Failure.slow(Duration.ofSeconds(2)));
        long id = start("{\"source\":\"site\"}");
        Thread.sleep(300);
        given().auth().oauth2(CourseSiteResource.TOKEN).post("/admin/ingest/runs/" + id + "/cancel").then().statusCode(202);
        JsonPath run = awaitFinished(id);
        assertThat(run.getString("status")).isEqualTo("cancelled");
        assertThat(run.getString("reason")).startsWith("cancelled");
        assertThat(run.getInt("counts.pagesFailed")).isZero();
        ingest();
    }

    @Test
    @Order(14)
    void theAdminApiNeedsTheToken() {
        given().contentType("application/json").body("{}").post("/admin/ingest").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2("wrong").get("/admin/ingest/runs").then().statusCode(401);
        given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs?limit=2").then().statusCode(200)
                .body("size()", equalTo(2));
        given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs/999999").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(CourseSiteResource.TOKEN).contentType("application/json").body("{\"source\":\"nope\"}")
                .post("/admin/ingest").then().statusCode(404).body("detail", org.hamcrest.Matchers.containsString("nope"));
        given().auth().oauth2(CourseSiteResource.TOKEN).contentType("application/json").body("{not json")
                .post("/admin/ingest").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs?limit=100000").then().statusCode(400);
        given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs/not-a-number").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(CourseSiteResource.TOKEN).post("/admin/ingest/runs/999999/cancel").then().statusCode(404);
    }

    /** The page rows of the lesson pages (the index, unchanged, is touched by any run that sees it). */
    private String editedPageRows() throws SQLException {
        return text("SELECT string_agg(url || ' ' || coalesce(etag, '') || ' ' || coalesce(content_hash, '')"
                + " || ' ' || last_seen::text, ',' ORDER BY url) FROM page WHERE url <> '" + CourseSiteResource.BASE + "'");
    }

    private static String lockKey() {
        return String.valueOf(org.coursebot.ingest.store.IngestLock.KEY);
    }

    private JsonPath ingest() throws InterruptedException {
        return ingest("{\"source\":\"site\"}");
    }

    private JsonPath ingest(String body) throws InterruptedException {
        return awaitFinished(start(body));
    }

    private long start(String body) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            var response = given().auth().oauth2(CourseSiteResource.TOKEN).contentType("application/json").body(body)
                    .post("/admin/ingest");
            // 503 only while a pooled connection is still dead after the outage test; an operator would retry too.
            if (response.statusCode() == 503 && attempt < 10) {
                Thread.sleep(200);
                continue;
            }
            return response.then().statusCode(202).body("status", equalTo("running")).extract().jsonPath().getLong("runId");
        }
    }

    private JsonPath awaitFinished(long runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            var response = given().auth().oauth2(CourseSiteResource.TOKEN).get("/admin/ingest/runs/" + runId);
            if (response.statusCode() == 503) {
                // Right after the database went away a pooled connection may still be dead: try again.
                assertThat(response.contentType()).startsWith("application/problem+json");
                Thread.sleep(100);
                continue;
            }
            JsonPath run = response.then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("status"))) {
                // The lock is released just after the status is written; wait for it so the next test can start.
                Thread.sleep(200);
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not finish in 60 s");
    }

    /**
     * Every lexeme of each course and its chunk count, as ingest-service left them for chat-service's coverage
     * decision.
     */
    private void assertVocabularyIsTheContents() throws SQLException {
        String difference = """
                WITH counted AS (SELECT c.source, w.word AS lexeme, w.ndoc AS chunks
                                   FROM (SELECT DISTINCT source FROM course_chunk) AS c,
                                        ts_stat(format('SELECT tsv FROM course_chunk WHERE source = %L', c.source)) AS w)
                SELECT count(*) FROM ((SELECT * FROM counted EXCEPT SELECT source, lexeme, chunks FROM course_vocabulary)
                                      UNION ALL
                                      (SELECT source, lexeme, chunks FROM course_vocabulary EXCEPT SELECT * FROM counted)) AS d
                """;
        assertThat(count(difference)).as("lexemes whose count differs from the content's").isZero();
    }

    private void edit(int page, String change) {
        SiteGenerator.edit(site, CourseSiteResource.PAGES, CourseSiteResource.SEED, page, change);
    }

    private static String pageUrl(int page) {
        return CourseSiteResource.BASE + SiteGenerator.path(page);
    }

    private int count(String sql) throws SQLException {
        return Integer.parseInt(text(sql));
    }

    private String text(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Set<String> strings(String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
