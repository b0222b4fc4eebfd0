package org.coursebot.chat.space;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** Without an API key questions are embedded offline, into the active local space. */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class LocalQuestionEmbedderTests {

    @Inject
    ActiveSpace active;

    @Inject
    SpaceEmbedders embedders;

    @Test
    void embedsQuestionsWithTheLocalModelAndCachesThem() {
        StoredSpace space = active.require().await().atMost(Duration.ofSeconds(5));
        QuestionEmbedder embedder = embedders.forSpace(space);
        assertThat(embedder.space()).isEqualTo(EmbeddingSpace.LOCAL_MINILM);
        float[] v = embedder.embed("What does useEffect do?").await().atMost(Duration.ofSeconds(30));
        float[] again = embedder.embed("What does useEffect do?").await().atMost(Duration.ofSeconds(5));

        assertThat(v).hasSize(384);
        assertThat(again).containsExactly(v);
        assertThat(embedder.cachedQuestions()).isEqualTo(1);
    }

    @Test
    void aLocalSpaceBuiltAgainUnderAnotherIdSharesTheLoadedModel() {
        StoredSpace space = active.require().await().atMost(Duration.ofSeconds(5));
        StoredSpace rebuilt = new StoredSpace(space.id() + 10, "local", EmbeddingSpace.LOCAL_MINILM, StoredSpace.BUILDING);

        assertThat(embedders.forSpace(rebuilt)).isSameAs(embedders.forSpace(space));
    }
}
