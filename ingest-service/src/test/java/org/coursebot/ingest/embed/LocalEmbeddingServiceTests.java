package org.coursebot.ingest.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** Without an API key the service embeds offline with the local model, off the event loop. */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
class LocalEmbeddingServiceTests {

    @Inject
    EmbeddingService embeddings;

    @Test
    void embedsWithTheLocalModelInInputOrderOnItsWorkerPool() {
        assertThat(embeddings.space()).isEqualTo(EmbeddingSpace.LOCAL_MINILM);
        List<String> texts = List.of("useState returns the state and a setter", "The Bastille fell in 1789",
                "useState gives back a state value and a function to update it");
        EmbeddingUsage usage = new EmbeddingUsage();

        List<float[]> v = embeddings.embed(texts, usage).await().atMost(Duration.ofMinutes(2));
        List<float[]> reversed = embeddings.embed(List.of(texts.get(2), texts.get(1), texts.get(0)), usage)
                .await().atMost(Duration.ofMinutes(2));

        assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
        assertThat(reversed.get(0)).containsExactly(v.get(2));
        assertThat(reversed.get(2)).containsExactly(v.get(0));
        assertThat(dot(v.get(0), v.get(2))).isGreaterThan(dot(v.get(0), v.get(1)) + 0.2);
        assertThat(usage.inputs()).isEqualTo(6);
        assertThat(usage.estimatedCostUsd()).isZero();
        assertThat(embeddings.plan(texts).estimatedCostUsd()).isZero();
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }
}
