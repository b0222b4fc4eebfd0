package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;

import org.coursebot.model.EmbeddingSpace;
import org.junit.jupiter.api.Test;

class ProviderSelectionTests {

    @Test
    void autoPicksOpenAiOnlyWhenAKeyIsSet() {
        assertThat(ProviderSelection.resolve("auto", Optional.empty(), OptionalInt.empty(), true).space())
                .isEqualTo(EmbeddingSpace.OPENAI_3_SMALL);
        assertThat(ProviderSelection.resolve("auto", Optional.empty(), OptionalInt.empty(), false).space())
                .isEqualTo(EmbeddingSpace.LOCAL_MINILM);
    }

    @Test
    void dimensionsFollowTheModel() {
        var ada = ProviderSelection.resolve("openai", Optional.of("text-embedding-ada-002"), OptionalInt.empty(), true);
        assertThat(ada.space()).isEqualTo(EmbeddingSpace.OPENAI_ADA_002);
        assertThat(ada.sendDimensions()).isFalse();
        var shortened = ProviderSelection.resolve("openai", Optional.empty(), OptionalInt.of(512), true);
        assertThat(shortened.space()).isEqualTo(new EmbeddingSpace("text-embedding-3-small", 512));
        assertThat(shortened.sendDimensions()).isTrue();
    }

    @Test
    void refusesConfigurationsThatCannotWork() {
        assertThatThrownBy(() -> ProviderSelection.resolve("openai", Optional.of("nomic-embed-text"), OptionalInt.empty(), true))
                .hasMessageContaining("coursebot.embedding.dimensions");
        assertThatThrownBy(() -> ProviderSelection.resolve("local", Optional.of("text-embedding-3-small"), OptionalInt.empty(), false))
                .hasMessageContaining("only runs all-minilm-l6-v2-q");
        assertThatThrownBy(() -> ProviderSelection.resolve("azure", Optional.empty(), OptionalInt.empty(), false))
                .hasMessageContaining("auto, openai or local");
    }

    @Test
    void spaceCheckNamesBothSpacesWhenTheDatabaseDiffers() {
        assertThat(EmbeddingSpaceCheck.mismatch(EmbeddingSpace.LOCAL_MINILM, null, "vector(384)")).isEmpty();
        assertThat(EmbeddingSpaceCheck.mismatch(EmbeddingSpace.LOCAL_MINILM, "all-minilm-l6-v2-q/384", "vector(384)")).isEmpty();
        assertThat(EmbeddingSpaceCheck.mismatch(EmbeddingSpace.OPENAI_3_SMALL, null, "vector(384)"))
                .hasValueSatisfying(m -> assertThat(m).contains("text-embedding-3-small/1536", "vector(384)"));
        assertThat(EmbeddingSpaceCheck.mismatch(EmbeddingSpace.OPENAI_3_SMALL, "text-embedding-ada-002/1536", "vector(1536)"))
                .hasValueSatisfying(m -> assertThat(m).contains("text-embedding-3-small/1536", "text-embedding-ada-002/1536"));
        assertThat(EmbeddingSpaceCheck.mismatch(EmbeddingSpace.OPENAI_3_SMALL,
                "text-embedding-3-small/1536,text-embedding-ada-002/1536", "vector(1536)")).isPresent();
    }
}
