package org.coursebot.chat.space;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.coursebot.model.StoredSpace;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * chat-service follows the database's active space while it runs: space 1 (OpenAI text-embedding-3-small), then a
 * space 2 (text-embedding-3-large at 1536) whose vectors place the two chunks the other way round, so which space a
 * question was searched in shows in its hits as well as in {@code embeddingSpace}.
 */
@QuarkusTest
@TestProfile(ActiveSpaceTests.QuickPoll.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ActiveSpaceTests {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final String ONE = "How do I read a JSON body?";
    private static final String TWO = "Which port is in use?";

    /** A short poll interval; extractive answers, no rate limit. */
    public static class QuickPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.search.space-poll-interval", POLL.toMillis() + "ms",
                    "coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false");
        }
    }

    TestDatabase database;
    FakeOpenAiServer openAi;

    @Inject
    ActiveSpace active;

    private SpaceFixture spaces;
    private UUID alpha;
    private UUID beta;

    @BeforeEach
    void seed() {
        spaces = new SpaceFixture(database).empty();
        // No word of either question in the texts: only the vectors decide.
        alpha = spaces.chunk("alpha/", "Alpha", "Middleware parses request payloads.", vector(ONE));
        beta = spaces.chunk("beta/", "Beta", "Another process already listens there.", vector(TWO));
        spaces.publish();
        openAi.reset();
    }

    @Test
    void followsAnActivationWithoutARestartAndAnswersSayWhichSpaceTheySearched() {
        search(ONE).then().body("embeddingSpace.id", equalTo(1)).body("hits[0].title", equalTo("Alpha"));

        StoredSpace large = spaces.create("openai", "text-embedding-3-large", 1536);
        spaces.fill(large, Map.of(alpha, vector(TWO), beta, vector(ONE)));
        try {
            spaces.activate(large.id());
            long start = System.nanoTime();
            awaitTrue(() -> active.current().map(s -> s.id() == large.id()).orElse(false), Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(POLL.multipliedBy(5));

            JsonPath found = search(ONE).then().statusCode(200).extract().jsonPath();
            assertThat(found.getInt("embeddingSpace.id")).isEqualTo(large.id());
            assertThat(found.getString("embeddingSpace.model")).isEqualTo("text-embedding-3-large");
            assertThat(found.getInt("embeddingSpace.dimension")).isEqualTo(1536);
            assertThat(found.getList("hits.title")).containsExactly("Beta");
            // Embedded into space 2 (its model, its dimensions), not taken from space 1's cache.
            assertThat(openAi.received("/embeddings")).last()
                    .satisfies(r -> assertThat(r.model()).isEqualTo("text-embedding-3-large"))
                    .satisfies(r -> assertThat(r.dimensions()).isEqualTo(1536));

            given().contentType("application/json").body(Map.of("question", ONE)).post("/api/chat").then()
                    .statusCode(200).body("embeddingSpace.id", equalTo(large.id()))
                    .body("citations[0].url", equalTo(SpaceFixture.BASE + "beta/"));
        } finally {
            spaces.activate(1);
            spaces.retire(large.id());
        }
        awaitTrue(() -> active.current().map(s -> s.id() == 1).orElse(false), Duration.ofSeconds(5));
        search(ONE).then().body("embeddingSpace.id", equalTo(1)).body("hits[0].title", equalTo("Alpha"));
    }

    @Test
    void searchAnswers503WhenNoSpaceIsActive() {
        database.execute("UPDATE embedding_space SET status = 'ready' WHERE id = 1");
        try {
            awaitTrue(() -> active.current().isEmpty(), Duration.ofSeconds(5));
            search(ONE).then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("https://coursebot.dev/problems/no-active-space"))
                    .body("detail", equalTo("no active embedding space: run an ingest first"));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'embedding-space' }.status", equalTo("DOWN"));
        } finally {
            database.execute("UPDATE embedding_space SET status = 'active' WHERE id = 1");
        }
        awaitTrue(() -> active.current().isPresent(), Duration.ofSeconds(5));
        search(ONE).then().statusCode(200).body("embeddingSpace.id", equalTo(1));
    }

    private static io.restassured.response.Response search(String question) {
        return given().queryParam("q", question).get("/api/search");
    }

    private static float[] vector(String text) {
        return FakeOpenAiServer.vectorFor(text, 1536);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
