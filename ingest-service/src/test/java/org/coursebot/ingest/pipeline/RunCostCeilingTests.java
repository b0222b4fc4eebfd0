package org.coursebot.ingest.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code coursebot.ingest.max-run-cost} (issue 32) against the real database and the fake OpenAI server, through the
 * admin API: a run within the ceiling goes as before, one above it is refused before its first embeddings request,
 * with the dry run's figure, and changes nothing. The ceiling is $1.00 at $100 per million tokens
 * ({@link CostCeilingSiteResource}). The tests build on each other's state, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CostCeilingSiteResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunCostCeilingTests {

    private static final BigDecimal CEILING = new BigDecimal(CostCeilingSiteResource.CEILING);
    private static final int PAGES_PAST_THE_CEILING = 24;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    TestDatabase database;
    FakeOpenAiServer openAi;
    Path site;

    @Test
    @Order(1)
    void aRunEstimatedWithinTheCeilingEmbedsAndWritesAsUsual() throws Exception {
        BigDecimal estimate = cost(ingest(true));
        assertThat(estimate).isPositive().isLessThanOrEqualTo(CEILING);

        openAi.reset();
        JsonPath run = ingest(false);
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getString("reason")).isNull();
        assertThat(run.getInt("counts.pagesNew")).isEqualTo(2); // the page and the index
        assertThat(openAi.received("/embeddings")).isNotEmpty().hasSize(run.getInt("counts.embeddingRequests"));
        assertThat(cost(run)).as("what the run cost, by the fake API's usage").isCloseTo(estimate, within(new BigDecimal("0.000001")));
        assertThat(count("SELECT count(*) FROM course_content WHERE embedding IS NOT NULL"))
                .isEqualTo(run.getInt("counts.chunksEmbedded")).isPositive();
    }

    @Test
    @Order(2)
    void aRunEstimatedAboveTheCeilingIsRefusedBeforeItsFirstRequestSayingTheFigureAndChangesNothing() throws Exception {
        SiteGenerator.generate(site, PAGES_PAST_THE_CEILING, CostCeilingSiteResource.SEED);
        JsonPath dryRun = ingest(true);
        BigDecimal estimate = cost(dryRun);
        System.out.printf("dry run of the course grown to %d pages: %d tokens, $%s%n", PAGES_PAST_THE_CEILING,
                dryRun.getLong("counts.tokens"), estimate.toPlainString());
        assertThat(estimate).as("the grown course's dry run").isGreaterThan(CEILING);
        String before = contents();
        assertThat(count("SELECT count(*) FROM page")).isEqualTo(2);

        openAi.reset();
        JsonPath run = ingest(false);
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("reason")).isEqualTo("this run would cost about " + dollars(estimate)
                + " in embeddings (" + dryRun.getInt("counts.chunksEmbedded") + " chunks, "
                + dryRun.getLong("counts.tokens") + " tokens), above coursebot.ingest.max-run-cost $1.00;"
                + " raise it or ingest fewer pages");
        assertThat(openAi.received("/embeddings")).isEmpty();
        assertThat(run.getInt("counts.embeddingRequests")).isZero();
        assertThat(run.getInt("counts.pagesNew") + run.getInt("counts.pagesChanged")).isZero();
        assertThat(cost(run)).isZero();
        assertThat(run.getList("errors")).as("a run-level reason is not a page error").isEmpty();
        // No chunk, vector, page row (not even the unchanged page's validators) or vocabulary entry changed.
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aSpaceBuildEstimatedAboveTheCeilingIsRefusedAndEmbedsNothing() throws Exception {
        // Ingests within the ceiling, a few pages each, until the stored course costs more than it to embed again.
        for (int pages : new int[] {7, 13, 19}) {
            regenerate(pages);
            assertThat(ingest(false).getString("status")).as("an ingest up to %d pages", pages).isEqualTo("succeeded");
        }
        admin().contentType("application/json").body("{\"model\":\"text-embedding-3-small\",\"dimensions\":512}")
                .post("/admin/spaces").then().statusCode(201).body("id", equalTo(2));
        JsonPath dryRun = awaitFinished(startBuild(true));
        assertThat(cost(dryRun)).as("the build's dry run").isGreaterThan(CEILING);

        openAi.reset();
        JsonPath build = awaitFinished(startBuild(false));
        assertThat(build.getString("status")).isEqualTo("failed");
        assertThat(build.getString("reason")).startsWith("this run would cost about " + dollars(cost(dryRun)) + " in embeddings")
                .endsWith("above coursebot.ingest.max-run-cost $1.00; raise it or ingest fewer pages");
        assertThat(openAi.received("/embeddings")).isEmpty();
        assertThat(count("SELECT count(*) FROM course_vector_2")).isZero();
        admin().get("/admin/spaces/2").then().statusCode(200).body("status", equalTo("building"));
    }

    /**
     * Everything a run may write, but its own ingest_run row: every page row (validators and last seen), chunk, vector
     * of the active space, vocabulary entry and space.
     */
    private String contents() {
        return database.queryString("""
                SELECT md5(coalesce((SELECT string_agg(p::text, ',' ORDER BY p.source, p.url) FROM page p), '')
                        || coalesce((SELECT string_agg(c::text, ',' ORDER BY c.id) FROM course_chunk c), '')
                        || coalesce((SELECT string_agg(v::text, ',' ORDER BY v.id) FROM course_vector_1 v), '')
                        || coalesce((SELECT string_agg(w::text, ',' ORDER BY w.source, w.lexeme)
                                     FROM course_vocabulary w), '')
                        || coalesce((SELECT string_agg(s::text, ',' ORDER BY s.id) FROM embedding_space s), ''))
                """);
    }

    /** The course as {@code pages} generated pages and no others: a directory source reads every file in it. */
    private void regenerate(int pages) throws IOException {
        try (Stream<Path> files = Files.walk(site)) {
            files.filter(Files::isRegularFile).forEach(file -> file.toFile().delete());
        }
        SiteGenerator.generate(site, pages, CostCeilingSiteResource.SEED);
    }

    /** A figure above a dollar as the refusal gives it. */
    private static String dollars(BigDecimal usd) {
        return "$" + usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** The run's estimatedCostUsd as the API writes it (JsonPath reads numbers as floats). */
    private static BigDecimal cost(JsonPath run) throws JsonProcessingException {
        String body = admin().get("/admin/ingest/runs/" + run.getLong("id")).then().statusCode(200).extract().asString();
        return JSON.readTree(body).get("estimatedCostUsd").decimalValue();
    }

    private int count(String sql) {
        return Integer.parseInt(database.queryString(sql));
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(CostCeilingSiteResource.TOKEN);
    }

    private JsonPath ingest(boolean dryRun) throws InterruptedException {
        long runId = admin().contentType("application/json").body("{\"source\":\"course\",\"dryRun\":" + dryRun + "}")
                .post("/admin/ingest").then().statusCode(202).body("status", equalTo("running"))
                .extract().jsonPath().getLong("runId");
        return awaitFinished(runId);
    }

    private long startBuild(boolean dryRun) {
        return admin().contentType("application/json").body("{\"dryRun\":" + dryRun + "}")
                .post("/admin/spaces/2/build").then().statusCode(202).extract().jsonPath().getLong("runId");
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
