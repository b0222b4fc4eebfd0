package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vertx.mutiny.core.Vertx;
import org.coursebot.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own (surefire reuseForks=false), so nothing else could have loaded ONNX here. */
class OpenAiProviderNeverLoadsLocalModelTests {

    @Test
    void anOpenAiConfiguredEngineEmbedsWithoutLoadingTheModelOrOnnxRuntime() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeOpenAiServer fake = FakeOpenAiServer.start();
                EmbeddingEngine engine = new EmbeddingEngine(TestConfigs.config(
                        "coursebot.embedding.api-key", "sk-test", "coursebot.embedding.base-url", fake.baseUrl()),
                        vertx, Runnable::run)) {
            var batch = engine.batches(List.of("hello")).get(0);
            List<float[]> v = engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofSeconds(30));

            assertThat(v.get(0)).containsExactly(FakeOpenAiServer.vectorFor("hello", 1536));
            assertThat(LocalEmbeddingModel.loads()).isZero();
            assertThat(Files.readString(Path.of("/proc/self/maps"))).doesNotContain("onnxruntime");
            assertThat(loaded("ai.onnxruntime.OrtEnvironment")).isFalse();
            assertThat(loaded("dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel"))
                    .isFalse();
        } finally {
            vertx.closeAndAwait();
        }
    }

    /** Whether the class was loaded, without loading it. */
    private static boolean loaded(String name) throws Exception {
        var findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        findLoadedClass.setAccessible(true);
        return findLoadedClass.invoke(OpenAiProviderNeverLoadsLocalModelTests.class.getClassLoader(), name) != null;
    }
}
