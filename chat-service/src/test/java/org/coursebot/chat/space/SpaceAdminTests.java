package org.coursebot.chat.space;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.model.StoredSpace;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * What chat-service says about embedding spaces when it has no OpenAI key, over a database whose active space is
 * the local model: {@code GET /admin/spaces/{id}/embeddable} (what ingest-service asks before an activation) and the
 * {@code embedding-space} readiness check.
 */
@QuarkusTest
@TestProfile(SpaceAdminTests.NoKey.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class SpaceAdminTests {

    private static final String TOKEN = "space-admin-token";
    private static final String READINESS = "checks.find { it.name == 'embedding-space' }";

    /** An admin token, no OpenAI key (whatever the environment says), a short poll interval. */
    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.admin.token", TOKEN, "coursebot.embedding.api-key", "",
                    "coursebot.search.space-poll-interval", "200ms", "coursebot.rate-limit.enabled", "false");
        }
    }

    TestDatabase database;

    @Test
    void theActiveLocalSpaceIsEmbeddable() {
        admin().get("/admin/spaces/1/embeddable").then().statusCode(200)
                .body("id", equalTo(1)).body("provider", equalTo("local"))
                .body("model", equalTo("all-minilm-l6-v2-q")).body("dimension", equalTo(384))
                .body("embeddable", equalTo(true)).body("probeMillis", greaterThanOrEqualTo(0));
    }

    @Test
    void anOpenAiSpaceIsNotEmbeddableWithoutAKey() {
        StoredSpace openAi = new SpaceFixture(database).create("openai", "text-embedding-3-small", 1536);
        try {
            admin().get("/admin/spaces/" + openAi.id() + "/embeddable").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://coursebot.dev/problems/space-not-embeddable"))
                    .body("title", equalTo("Conflict"))
                    .body("detail", containsString("chat-service cannot embed with text-embedding-3-small/1536"))
                    .body("detail", containsString("OPENAI_API_KEY"))
                    .body("id", equalTo(openAi.id()));
        } finally {
            new SpaceFixture(database).retire(openAi.id());
        }
    }

    @Test
    void anUnknownOrRetiredSpaceIsNotFound() {
        admin().get("/admin/spaces/999/embeddable").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://coursebot.dev/problems/space-not-found"))
                .body("detail", equalTo("no embedding space 999"));
        admin().get("/admin/spaces/one/embeddable").then().statusCode(404).contentType("application/problem+json");
        StoredSpace retired = new SpaceFixture(database).create("openai", "text-embedding-ada-002", 1536);
        new SpaceFixture(database).retire(retired.id());
        admin().get("/admin/spaces/" + retired.id() + "/embeddable").then().statusCode(404)
                .body("detail", containsString("retired"));
    }

    @Test
    void theEmbeddableCheckNeedsTheAdminToken() {
        given().get("/admin/spaces/1/embeddable").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void readinessIsDownNamingTheReasonWhileTheActiveSpaceIsOneChatCannotEmbedInto() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(READINESS + ".status", equalTo("UP")).body(READINESS + ".data.id", equalTo(1))
                .body(READINESS + ".data.model", equalTo("all-minilm-l6-v2-q"))
                .body(READINESS + ".data.dimension", equalTo(384));
        SpaceFixture spaces = new SpaceFixture(database).empty();
        spaces.chunk("p/", "Ports", "EADDRINUSE: another process listens on the port.", unit(384));
        StoredSpace openAi = spaces.create("openai", "text-embedding-3-small", 1536);
        spaces.fill(openAi, Map.of(SpaceFixture.id("p/"), unit(1536)));
        spaces.publish();
        try {
            spaces.activate(openAi.id());
            awaitReadiness(503);
            given().get("/q/health/ready").then().statusCode(503)
                    .body(READINESS + ".status", equalTo("DOWN"))
                    .body(READINESS + ".data.id", equalTo(openAi.id()))
                    .body(READINESS + ".data.reason", containsString("no OpenAI API key is configured (OPENAI_API_KEY)"));
            // Searches still answer, by full text alone, and say so.
            given().queryParam("q", "EADDRINUSE").get("/api/search").then().statusCode(200)
                    .body("degraded", equalTo(true)).body("embeddingSpace.id", equalTo(openAi.id()))
                    .body("hits[0].title", equalTo("Ports"));
        } finally {
            spaces.activate(1);
            spaces.retire(openAi.id());
        }
        awaitReadiness(200);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private static float[] unit(int dimension) {
        float[] v = new float[dimension];
        v[0] = 1;
        return v;
    }

    private static void awaitReadiness(int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (given().get("/q/health/ready").statusCode() != status) {
            assertThat(System.nanoTime()).as("readiness %d within 5 s", status).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
