package org.coursebot.ingest.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
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
 * Changing the embedding model through the admin API, as an operator does it (docs/embedding-spaces.md): a second
 * space beside the first, built, kept up to date by regular ingests, activated, rolled back, retired. Space 1 is
 * text-embedding-3-small at 1536 (the configuration), space 2 the same model shortened to 512 dimensions: the fake
 * API gives each dimension its own vectors. The tests build on each other's state, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CourseSiteResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeChatCheckResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingSpacesTests {

    TestDatabase database;
    FakeOpenAiServer openAi;
    Path site;

    @Test
    @Order(1)
    void afterTheFirstIngestTheOnlySpaceIsActiveAndCoversEveryChunk() throws Exception {
        assertThat(ingest().getString("status")).isEqualTo("succeeded");
        JsonPath spaces = admin().get("/admin/spaces").then().statusCode(200).extract().jsonPath();
        assertThat(spaces.getList("id", Integer.class)).containsExactly(1);
        assertThat(spaces.getString("[0].status")).isEqualTo("active");
        assertThat(spaces.getString("[0].model")).isEqualTo("text-embedding-3-small");
        assertThat(spaces.getInt("[0].dimension")).isEqualTo(1536);
        assertThat(spaces.getLong("[0].chunks")).isEqualTo(chunks()).isPositive();
        assertThat(spaces.getDouble("[0].coverage")).isEqualTo(1.0);
        assertThat(spaces.getLong("[0].tableBytes")).isPositive();
        assertThat(spaces.getLong("[0].indexBytes")).isPositive();
        assertThat(spaces.getString("[0].index")).isEqualTo("course_vector_1_embedding_idx");
    }

    @Test
    @Order(2)
    void aNewSpaceIsCreatedEmptyAndBadRequestsSayWhichFieldIsWrong() {
        admin().contentType("application/json").body("{\"model\":\"text-embedding-3-small\",\"dimensions\":512}")
                .post("/admin/spaces").then().statusCode(201)
                .body("id", equalTo(2)).body("status", equalTo("building")).body("provider", equalTo("openai"))
                .body("dimension", equalTo(512)).body("covered", equalTo(0)).body("coverage", equalTo(0.0f));
        admin().contentType("application/json").body("{\"model\":\"text-embedding-3-small\",\"dimensions\":512}")
                .post("/admin/spaces").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("exists already"));
        admin().contentType("application/json").body("{\"model\":\"my-model\"}").post("/admin/spaces")
                .then().statusCode(400).body("fields.dimensions", containsString("dimensions"));
        admin().contentType("application/json").body("{\"model\":\"text-embedding-3-large\"}").post("/admin/spaces")
                .then().statusCode(400).body("fields.dimensions", containsString("2,000"));
        admin().contentType("application/json").body("{\"dimensions\":-1}").post("/admin/spaces")
                .then().statusCode(400).body("fields.model", containsString("required"))
                .body("fields.dimensions", containsString("positive"));
        admin().contentType("application/json").body("{\"model\":\"" + "m".repeat(201) + "\"}").post("/admin/spaces")
                .then().statusCode(400).body("fields.model", containsString("at most 200"));
        admin().contentType("application/json").body("{\"model\": [").post("/admin/spaces")
                .then().statusCode(400).contentType("application/problem+json");
        admin().contentType("application/json").body("{}").post("/admin/spaces/abc/build").then().statusCode(404);
        admin().contentType("application/json").body("{\"provider\":\"local\",\"model\":\"text-embedding-3-small\"}")
                .post("/admin/spaces").then().statusCode(400).body("detail", containsString("only runs"));
        admin().contentType("application/json").body("{}").post("/admin/spaces/99/build").then().statusCode(404);
    }

    @Test
    @Order(3)
    void aDryRunBuildCountsTheCostAndCallsNothing() throws Exception {
        openAi.reset();
        JsonPath run = build(2, true);
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getInt("spaceId")).isEqualTo(2);
        assertThat(run.getBoolean("dryRun")).isTrue();
        assertThat(run.getLong("counts.chunksEmbedded")).isEqualTo(chunks());
        assertThat(run.getInt("counts.embeddingRequests")).isPositive();
        assertThat(run.getLong("counts.tokens")).isPositive();
        assertThat(run.getDouble("estimatedCostUsd")).isPositive();
        assertThat(openAi.received("/embeddings")).isEmpty();
        assertThat(coverage(2)).isEqualTo(0.0);
    }

    @Test
    @Order(4)
    void aBuildingSpaceCannotBeActivated() {
        admin().post("/admin/spaces/2/activate").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("building, not ready"));
        assertThat(status(1)).isEqualTo("active");
    }

    @Test
    @Order(5)
    void aCancelledBuildResumesWhereItStoppedAndNoChunkIsEmbeddedTwice() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(Duration.ofMillis(300), Duration.ofMillis(300), 1);
        long runId = startBuild(2, false);
        // Steps of 16 chunks (coursebot.ingest.build-step in this test), one request each: cancel while the first is out.
        Instant until = Instant.now().plusSeconds(10);
        while (openAi.received("/embeddings").isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        admin().post("/admin/ingest/runs/" + runId + "/cancel").then().statusCode(202);
        JsonPath cancelled = awaitFinished(runId);
        openAi.embeddingLatency(Duration.ZERO, Duration.ZERO, 1);
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getString("reason")).contains("resumes");
        long firstPart = cancelled.getLong("counts.chunksEmbedded");
        assertThat(firstPart).isLessThan(chunks());

        JsonPath rest = build(2, false);
        assertThat(rest.getString("status")).isEqualTo("succeeded");
        assertThat(firstPart + rest.getLong("counts.chunksEmbedded")).isEqualTo(chunks());
        List<FakeOpenAiServer.Received> requests = openAi.received("/embeddings");
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.dimensions()).isEqualTo(512);
        });
        List<String> inputs = requests.stream().flatMap(r -> r.inputs().stream()).toList();
        assertThat(inputs).as("every chunk embedded once").hasSize((int) chunks()).doesNotHaveDuplicates();
        assertThat(status(2)).isEqualTo("ready");
        assertThat(coverage(2)).isEqualTo(1.0);
        assertThat(database.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_vector_2'::regclass AND attname = 'embedding'")).isEqualTo("vector(512)");

        openAi.reset();
        assertThat(build(2, false).getLong("counts.chunksEmbedded")).isZero();
        assertThat(openAi.received("/embeddings")).as("a complete space is never embedded again").isEmpty();
    }

    @Test
    @Order(6)
    void aRegularIngestKeepsEverySpaceUpToDate() throws Exception {
        openAi.reset();
        SiteGenerator.edit(site, CourseSiteResource.PAGES, CourseSiteResource.SEED, 4, "A sentence about embedding spaces.");
        JsonPath run = ingest();
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getInt("counts.pagesChanged")).isEqualTo(1);
        List<FakeOpenAiServer.Received> requests = openAi.received("/embeddings");
        assertThat(requests).extracting(FakeOpenAiServer.Received::dimensions).containsExactlyInAnyOrder(null, 512);
        assertThat(requests.get(0).inputs()).isEqualTo(requests.get(1).inputs());
        assertThat(run.getInt("counts.chunksEmbedded")).isEqualTo(2 * requests.get(0).inputs().size());
        for (int space : new int[] {1, 2}) {
            assertThat(coverage(space)).isEqualTo(1.0);
            assertThat(database.queryString("SELECT count(*) FROM course_vector_" + space + " v JOIN course_chunk c"
                    + " ON c.id = v.id WHERE v.content_hash <> c.content_hash")).as("stale vectors").isEqualTo("0");
            assertThat(database.queryString("SELECT count(*) FROM course_vector_" + space)).isEqualTo(String.valueOf(chunks()));
        }
    }

    @Test
    @Order(7)
    void activationIsRefusedWhenChatServiceCannotEmbedWithTheSpace() {
        FakeChatCheckResource.refuse = "chat-service cannot embed with text-embedding-3-small/512: no OpenAI API key";
        try {
            admin().post("/admin/spaces/2/activate").then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("no OpenAI API key"));
        } finally {
            FakeChatCheckResource.refuse = null;
        }
        assertThat(status(1)).isEqualTo("active");
        assertThat(status(2)).isEqualTo("ready");
        assertThat(FakeChatCheckResource.asked).last().asString()
                .isEqualTo("/admin/spaces/2/embeddable Bearer " + CourseSiteResource.TOKEN);
    }

    @Test
    @Order(8)
    void activatingSwitchesTheSeedSchemaToTheSpaceAndActivatingTheOldOneRollsBack() {
        admin().post("/admin/spaces/2/activate").then().statusCode(200)
                .body("status", equalTo("active")).body("dimension", equalTo(512));
        assertThat(status(1)).isEqualTo("ready");
        assertThat(database.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_content'::regclass AND attname = 'embedding'")).isEqualTo("vector(512)");
        String query = database.queryString("SELECT embedding::text FROM course_vector_2 ORDER BY id LIMIT 1");
        assertThat(database.queryString("SELECT id FROM match_course_content('" + query + "', 0.99, 1)"))
                .isEqualTo(database.queryString("SELECT id FROM course_vector_2 ORDER BY id LIMIT 1"));

        admin().post("/admin/spaces/1/activate").then().statusCode(200).body("status", equalTo("active"));
        assertThat(status(2)).isEqualTo("ready");
        assertThat(database.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_content'::regclass AND attname = 'embedding'")).isEqualTo("vector(1536)");
        String old = database.queryString("SELECT embedding::text FROM course_vector_1 ORDER BY id LIMIT 1");
        assertThat(database.queryString("SELECT id FROM match_course_content('" + old + "', 0.99, 1)"))
                .isEqualTo(database.queryString("SELECT id FROM course_vector_1 ORDER BY id LIMIT 1"));
    }

    @Test
    @Order(9)
    void retiringDropsTheVectorsButNeverOfTheActiveOrAJustDeactivatedSpace() throws Exception {
        admin().post("/admin/spaces/2/activate").then().statusCode(200);
        admin().post("/admin/spaces/2/retire").then().statusCode(409).body("detail", containsString("is active"));
        admin().post("/admin/spaces/1/retire").then().statusCode(409).body("detail", containsString("retry after"));
        Thread.sleep(2_100); // coursebot.spaces.retire-grace in this test
        admin().post("/admin/spaces/1/retire").then().statusCode(200).body("status", equalTo("retired"))
                .body("chunks", equalTo(null));
        assertThat(database.queryString("SELECT to_regclass('course_vector_1')")).isNull();
        admin().post("/admin/spaces/1/activate").then().statusCode(409).body("detail", containsString("retired"));

        openAi.reset();
        SiteGenerator.edit(site, CourseSiteResource.PAGES, CourseSiteResource.SEED, 5, "Only the live space hears of this.");
        assertThat(ingest().getString("status")).isEqualTo("succeeded");
        assertThat(openAi.received("/embeddings")).singleElement()
                .satisfies(r -> assertThat(r.dimensions()).isEqualTo(512));
        assertThat(coverage(2)).isEqualTo(1.0);
    }

    @Test
    @Order(10)
    void aBuildWhoseKeyIsRefusedStopsAtTheFirstRefusalAndSaysWhy() throws Exception {
        // (Its id is not 3: the refused duplicate of test 2 took a value of the identity's sequence.)
        int id = admin().contentType("application/json").body("{\"model\":\"text-embedding-ada-002\"}")
                .post("/admin/spaces").then().statusCode(201).extract().jsonPath().getInt("id");
        openAi.reset();
        openAi.faultPlan(n -> FakeOpenAiServer.Failure.unauthorized());
        try {
            JsonPath run = build(id, false);
            assertThat(run.getString("status")).isEqualTo("failed");
            assertThat(run.getString("reason")).contains("refused", "text-embedding-ada-002/1536", "fix the key");
            // Steps of 16 over ~120 chunks: without the stop, one refused request a step.
            assertThat(openAi.received("/embeddings")).hasSize(1);
            assertThat(coverage(id)).isEqualTo(0.0);
            assertThat(status(id)).isEqualTo("building");
        } finally {
            openAi.reset();
        }
    }

    @Test
    @Order(11)
    void aRegularIngestLeavesOutASpaceWhoseKeyIsRefusedAfterItsFirstRefusalAndWritesTheActiveOne() throws Exception {
        for (int page = 2; page <= 4; page++) {
            SiteGenerator.edit(site, CourseSiteResource.PAGES, CourseSiteResource.SEED, page, "Edited past a refused space " + page + ".");
        }
        openAi.reset();
        openAi.failModel("text-embedding-ada-002", FakeOpenAiServer.Failure.unauthorized());
        try {
            JsonPath run = ingest();
            assertThat(run.getString("status")).isEqualTo("succeeded");
            assertThat(run.getInt("counts.pagesChanged")).isEqualTo(3);
            assertThat(run.getInt("counts.pagesFailed")).isZero();
            List<String> models = openAi.received("/embeddings").stream().map(FakeOpenAiServer.Received::model).toList();
            // Groups of one page here: without leaving it out, one refused request a group.
            assertThat(models).filteredOn("text-embedding-ada-002"::equals).hasSize(1);
            assertThat(models).filteredOn("text-embedding-3-small"::equals).hasSize(3);
        } finally {
            openAi.reset();
        }
    }

    private double coverage(int space) {
        return admin().get("/admin/spaces/" + space).then().statusCode(200).extract().jsonPath().getDouble("coverage");
    }

    private String status(int space) {
        return database.queryString("SELECT status FROM embedding_space WHERE id = " + space);
    }

    private long chunks() {
        return Long.parseLong(database.queryString("SELECT count(*) FROM course_chunk"));
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(CourseSiteResource.TOKEN);
    }

    private JsonPath ingest() throws InterruptedException {
        long runId = admin().contentType("application/json").body("{\"source\":\"site\"}").post("/admin/ingest")
                .then().statusCode(202).extract().jsonPath().getLong("runId");
        return awaitFinished(runId);
    }

    private JsonPath build(int space, boolean dryRun) throws InterruptedException {
        return awaitFinished(startBuild(space, dryRun));
    }

    private long startBuild(int space, boolean dryRun) {
        return admin().contentType("application/json").body("{\"dryRun\":" + dryRun + "}")
                .post("/admin/spaces/" + space + "/build").then().statusCode(202)
                .body("spaceId", equalTo(space)).extract().jsonPath().getLong("runId");
    }

    private JsonPath awaitFinished(long runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath run = admin().get("/admin/ingest/runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("status"))) {
                Thread.sleep(200); // the lock is released just after the status is written
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not finish in 60 s");
    }
}
