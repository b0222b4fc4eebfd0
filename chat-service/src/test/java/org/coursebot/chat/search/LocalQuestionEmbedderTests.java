package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** Without an API key questions are embedded offline, in the space the local ingest writes. */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class LocalQuestionEmbedderTests {

    @Inject
    QuestionEmbedder embedder;

    @Test
    void embedsQuestionsWithTheLocalModelAndCachesThem() {
        assertThat(embedder.space()).isEqualTo(EmbeddingSpace.LOCAL_MINILM);
        float[] v = embedder.embed("What does useEffect do?").await().atMost(Duration.ofSeconds(30));
        float[] again = embedder.embed("What does useEffect do?").await().atMost(Duration.ofSeconds(5));

        assertThat(v).hasSize(384);
        assertThat(again).containsExactly(v);
        assertThat(embedder.cachedQuestions()).isEqualTo(1);
    }
}
