package org.coursebot.ingest.embed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.Failure;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest path against a fake OpenAI server: what the client sends, how it waits, what comes back where. */
@QuarkusTest
@TestProfile(EmbeddingServiceTests.SmallBatches.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class EmbeddingServiceTests {

    static final int MAX_INPUTS = 4;
    static final int MAX_TOKENS = 60;

    /** Small bounds so a dozen texts make several requests; a 1 s request timeout for the slow answer. */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.embedding.batch.max-inputs", String.valueOf(MAX_INPUTS),
                    "coursebot.embedding.batch.max-tokens", String.valueOf(MAX_TOKENS),
                    "coursebot.embedding.batch.max-input-tokens", "50",
                    "coursebot.embedding.request-timeout", "1s",
                    "coursebot.embedding.circuit.failure-threshold", "100");
        }
    }

    FakeOpenAiServer openAi;
    TestDatabase database;

    @Inject
    EmbeddingService embeddings;

    @BeforeEach
    void reset() {
        openAi.reset();
    }

    @Test
    void sendsBatchesBoundedByCountAndTokensAndReturnsVectorsInInputOrder() {
        openAi.shuffleIndexes(true);
        List<String> texts = texts(14);
        EmbeddingUsage usage = new EmbeddingUsage();

        List<float[]> vectors = embeddings.embed(texts, usage).await().atMost(Duration.ofSeconds(30));

        var requests = openAi.received("/embeddings");
        assertThat(requests).hasSizeGreaterThan(texts.size() / MAX_INPUTS);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.inputs()).hasSizeBetween(1, MAX_INPUTS);
            assertThat(r.totalTokens()).isLessThanOrEqualTo(MAX_TOKENS);
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.authorization()).isEqualTo("Bearer sk-test");
        });
        assertThat(requests.stream().flatMap(r -> r.inputs().stream())).containsExactlyElementsOf(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).as("vector of text %d", i).containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 1536));
        }
        assertThat(usage.requests()).isEqualTo(requests.size());
        assertThat(usage.inputs()).isEqualTo(texts.size());
        assertThat(usage.tokens()).isEqualTo(requests.stream().mapToLong(FakeOpenAiServer.Received::totalTokens).sum());
        assertThat(usage.estimatedCostUsd()).isCloseTo(usage.tokens() * 0.02 / 1_000_000, within(1e-12));
    }

    @Test
    void planPredictsTheRequestsTokensAndCostWithoutCallingTheApi() {
        List<String> texts = texts(14);
        EmbeddingPlan plan = embeddings.plan(texts);
        assertThat(openAi.received()).isEmpty();

        embeddings.embed(texts, new EmbeddingUsage()).await().atMost(Duration.ofSeconds(30));
        var requests = openAi.received("/embeddings");
        assertThat(plan.space()).isEqualTo(EmbeddingSpace.OPENAI_3_SMALL);
        assertThat(plan.requests()).isEqualTo(requests.size());
        assertThat(plan.tokens()).isEqualTo(requests.stream().mapToLong(FakeOpenAiServer.Received::totalTokens).sum());
        assertThat(plan.maxTokensPerRequest()).isLessThanOrEqualTo(MAX_TOKENS);
        assertThat(plan.estimatedCostUsd()).isCloseTo(plan.tokens() * 0.02 / 1_000_000, within(1e-12));
    }

    @Test
    void waitsAtLeastRetryAfterBeforeRetryingA429() {
        openAi.failEmbeddings(Failure.rateLimited(2));
        EmbeddingUsage usage = new EmbeddingUsage();

        List<float[]> vectors = embeddings.embed(List.of("What is a closure?"), usage).await().atMost(Duration.ofSeconds(30));

        var requests = openAi.received("/embeddings");
        assertThat(requests).extracting(FakeOpenAiServer.Received::status).containsExactly(429, 200);
        long gap = Duration.between(requests.get(0).at(), requests.get(1).at()).toMillis();
        System.out.printf("retry timeline: t=0 ms request 1 -> 429 Retry-After: 2 | t=%d ms request 2 -> 200 (waited %d ms)%n",
                gap, usage.retryWait().toMillis());
        assertThat(gap).isGreaterThanOrEqualTo(2000);
        assertThat(vectors.get(0)).containsExactly(FakeOpenAiServer.vectorFor("What is a closure?", 1536));
        assertThat(usage.retries()).isEqualTo(1);
        assertThat(usage.retryWait()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(usage.requests()).isEqualTo(2);
    }

    @Test
    void retriesServerErrorsAndTimeoutsThenSucceeds() {
        openAi.failEmbeddings(Failure.status(500), Failure.slow(Duration.ofSeconds(3)), Failure.status(503));
        EmbeddingUsage usage = new EmbeddingUsage();

        List<float[]> vectors = embeddings.embed(List.of("hello"), usage).await().atMost(Duration.ofSeconds(60));

        assertThat(openAi.received("/embeddings")).hasSize(4);
        assertThat(vectors.get(0)).containsExactly(FakeOpenAiServer.vectorFor("hello", 1536));
        assertThat(usage.retries()).isEqualTo(3);
        // Backoff 1 s, 2 s, 4 s, each with +-20% jitter.
        assertThat(usage.retryWait()).isBetween(Duration.ofMillis(5600), Duration.ofMillis(8400));
    }

    @Test
    void neverRetriesABadKeyAndSaysWhatIsWrong() {
        openAi.failEmbeddings(Failure.unauthorized());

        assertThatThrownBy(() -> embeddings.embed(texts(14), new EmbeddingUsage()).await().atMost(Duration.ofSeconds(30)))
                .isInstanceOf(EmbeddingFailure.class)
                .hasMessageContaining("401").hasMessageContaining("OPENAI_API_KEY");
        // One request: neither a retry nor the batches after it (no key would pass them).
        assertThat(openAi.received("/embeddings")).hasSize(1);
    }

    @Test
    void aBatchRefusedForOneInputIsSplitUntilOnlyThatInputIsLeftWithoutAVector() {
        List<String> texts = texts(14);
        String bad = texts.get(9);
        openAi.rejectInputContaining(bad);

        EmbeddedTexts result = embeddings.embedEach(texts, new EmbeddingUsage()).await().atMost(Duration.ofSeconds(30));

        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.failure().kind()).isEqualTo(EmbeddingFailure.Kind.BAD_INPUT);
            assertThat(f.positions()).containsExactly(9);
        });
        for (int i = 0; i < texts.size(); i++) {
            if (i == 9) {
                assertThat(result.vectors().get(i)).isNull();
            } else {
                assertThat(result.vectors().get(i)).containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 1536));
            }
        }
        var requests = openAi.received("/embeddings");
        long refusals = requests.stream().filter(r -> r.status() == 400).count();
        int batchOfBad = requests.stream().filter(r -> r.inputs().contains(bad)).findFirst().orElseThrow().inputs().size();
        // Each split halves the refused part: at most ceil(log2(batch)) + 1 refusals, never a retry of the same set.
        assertThat(refusals).isLessThanOrEqualTo(1 + (long) Math.ceil(Math.log(batchOfBad) / Math.log(2)));
        assertThat(requests.stream().filter(r -> r.status() == 400).map(r -> r.inputs().size()).distinct().count())
                .isEqualTo(refusals);
        assertThatThrownBy(result::orThrow).hasMessageContaining("1 of 14 texts not embedded");
    }

    @Test
    void exposesRequestsTokensRetriesAndCostAsMetrics() {
        embeddings.embed(List.of("metrics please"), new EmbeddingUsage()).await().atMost(Duration.ofSeconds(30));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("coursebot_embedding_requests_total{model=\"text-embedding-3-small\",provider=\"openai\"}"))
                .body(containsString("coursebot_embedding_tokens_total"))
                .body(containsString("coursebot_embedding_retries_total"))
                .body(containsString("coursebot_embedding_cost_usd_total"));
    }

    @Test
    void aNewDatabaseStartsWithTheConfiguredModelAsItsActiveSpace() {
        // Flyway's placeholders follow the configured provider (EmbeddingDimensionConfigSourceFactory).
        assertThat(database.queryString("SELECT provider || ' ' || model || '/' || dimension || ' ' || status"
                + " FROM embedding_space")).isEqualTo("openai text-embedding-3-small/1536 active");
        assertThat(database.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_vector_1'::regclass AND attname = 'embedding'")).isEqualTo("vector(1536)");
    }

    private static List<String> texts(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("Chunk " + i + ": " + "closures capture variables ".repeat(1 + i % 5).trim());
        }
        return texts;
    }
}
