package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class LocalEmbeddingModelTests {

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        try (LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4)) {
            List<float[]> v = model.embed(List.of(
                    "How do I install the project's dependencies with npm?",
                    "What is the command to download the packages my project needs using npm?",
                    "The French Revolution began in 1789 with the storming of the Bastille.")).await().atMost(Duration.ofMinutes(2));

            assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
            double paraphrases = cosine(v.get(0), v.get(1));
            double unrelated = cosine(v.get(0), v.get(2));
            System.out.printf("local model: paraphrases %.3f, unrelated %.3f%n", paraphrases, unrelated);
            assertThat(paraphrases).isGreaterThan(unrelated + 0.3);
            assertThat(LocalEmbeddingModel.loads()).isEqualTo(1);
        }
    }

    @Test
    void runsOnItsOwnBoundedWorkerThreads() {
        try (LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4)) {
            String thread = model.embed(List.of("hello")).map(x -> Thread.currentThread().getName())
                    .await().atMost(Duration.ofMinutes(2));
            assertThat(thread).startsWith("local-embedding-");
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
