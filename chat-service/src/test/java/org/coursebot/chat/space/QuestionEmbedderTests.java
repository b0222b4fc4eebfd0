package org.coursebot.chat.space;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.Failure;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The question path against a fake OpenAI server, over a database whose active space is OpenAI's (1536). */
@QuarkusTest
@TestProfile(QuestionEmbedderTests.ShortDeadline.class)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = org.coursebot.testing.TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
class QuestionEmbedderTests {

    /** A 1 s deadline so the slow-answer test stays short; retries start at 100 ms. */
    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.embedding.question.timeout", "1s",
                    "coursebot.embedding.question.initial-backoff", "100ms",
                    "coursebot.embedding.question.cache-size", "2",
                    "coursebot.embedding.circuit.failure-threshold", "100");
        }
    }

    FakeOpenAiServer openAi;

    @Inject
    ActiveSpace active;

    @Inject
    SpaceEmbedders embedders;

    QuestionEmbedder embedder;

    @BeforeEach
    void reset() {
        openAi.reset();
        embedder = embedders.forSpace(active.require().await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheWithoutASecondRequest() {
        float[] first = embedder.embed("How do I run the tests?").await().atMost(Duration.ofSeconds(5));
        float[] again = embedder.embed("  How do I   run the tests? ").await().atMost(Duration.ofSeconds(5));

        assertThat(first).containsExactly(FakeOpenAiServer.vectorFor("How do I run the tests?", 1536));
        assertThat(again).containsExactly(first);
        assertThat(openAi.received("/embeddings")).singleElement()
                .satisfies(r -> assertThat(r.inputs()).containsExactly("How do I run the tests?"));
    }

    @Test
    void theCacheForgetsTheLeastRecentlyUsedQuestion() {
        embedder.embed("q1").await().atMost(Duration.ofSeconds(5));
        embedder.embed("q2").await().atMost(Duration.ofSeconds(5));
        embedder.embed("q1").await().atMost(Duration.ofSeconds(5));
        embedder.embed("q3").await().atMost(Duration.ofSeconds(5)); // evicts q2 (capacity 2)
        embedder.embed("q1").await().atMost(Duration.ofSeconds(5));
        embedder.embed("q2").await().atMost(Duration.ofSeconds(5));

        assertThat(openAi.received("/embeddings")).extracting(r -> r.inputs().get(0)).containsExactly("q1", "q2", "q3", "q2");
    }

    @Test
    void retriesAServerErrorWithinTheDeadline() {
        openAi.failEmbeddings(Failure.status(500), Failure.status(502));
        float[] v = embedder.embed("retry me").await().atMost(Duration.ofSeconds(5));

        assertThat(v).containsExactly(FakeOpenAiServer.vectorFor("retry me", 1536));
        assertThat(openAi.received("/embeddings")).hasSize(3);
    }

    @Test
    void givesUpAfterTwoRetries() {
        openAi.failEmbeddings(Failure.status(500), Failure.status(500), Failure.status(500), Failure.status(500));

        assertThatThrownBy(() -> embedder.embed("always failing").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("500");
        assertThat(openAi.received("/embeddings")).hasSize(3);
    }

    @Test
    void aSlowApiMakesEmbeddingUnavailableWithinTheDeadline() {
        openAi.failEmbeddings(Failure.slow(Duration.ofSeconds(3)), Failure.slow(Duration.ofSeconds(3)),
                Failure.slow(Duration.ofSeconds(3)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> embedder.embed("slow question").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(EmbeddingUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
    }

    @Test
    void aBadKeyMakesEmbeddingUnavailableWithoutRetrying() {
        openAi.failEmbeddings(Failure.unauthorized());

        assertThatThrownBy(() -> embedder.embed("who am I").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("401");
        assertThat(openAi.received("/embeddings")).hasSize(1);
    }

    @Test
    void embedsIntoTheActiveSpaceAndIsReadyForIt() {
        assertThat(embedder.space()).isEqualTo(EmbeddingSpace.OPENAI_3_SMALL);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'embedding-space' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'embedding-space' }.data.id", equalTo(1))
                .body("checks.find { it.name == 'embedding-space' }.data.model", equalTo("text-embedding-3-small"))
                .body("checks.find { it.name == 'embedding-space' }.data.dimension", equalTo(1536));
    }

    @Test
    void aSpaceTheProcessCannotEmbedIntoIsUnavailableNotAFailure() {
        StoredSpace other = new StoredSpace(9, "local", new EmbeddingSpace("some-other-model", 384), StoredSpace.READY);

        assertThat(embedders.cannotEmbed(other)).hasValueSatisfying(r -> assertThat(r).contains("local provider"));
        assertThatThrownBy(() -> embedders.embed(other, "a question").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("some-other-model");
    }
}
