package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;

import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
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
    void aStoredSpaceSaysWhatThisProcessLacksToEmbedWithIt() {
        StoredSpace openai = new StoredSpace(2, "openai", EmbeddingSpace.OPENAI_3_SMALL, StoredSpace.READY);
        StoredSpace local = new StoredSpace(1, "local", EmbeddingSpace.LOCAL_MINILM, StoredSpace.ACTIVE);
        StoredSpace otherLocal = new StoredSpace(3, "local", new EmbeddingSpace("bge-small", 384), StoredSpace.READY);
        assertThat(ProviderSelection.cannotEmbed(openai, true)).isEmpty();
        assertThat(ProviderSelection.cannotEmbed(openai, false)).hasValueSatisfying(m -> assertThat(m)
                .contains("OPENAI_API_KEY", "text-embedding-3-small/1536"));
        assertThat(ProviderSelection.cannotEmbed(local, false)).isEmpty();
        assertThat(ProviderSelection.cannotEmbed(otherLocal, true)).hasValueSatisfying(m -> assertThat(m)
                .contains("only runs all-minilm-l6-v2-q/384", "bge-small/384"));
    }

    @Test
    void aShortenedThreeSmallSpaceSendsItsDimensionAndAnAdaSpaceDoesNot() {
        assertThat(ProviderSelection.named("openai", "text-embedding-3-small", OptionalInt.of(512)).sendDimensions()).isTrue();
        assertThat(ProviderSelection.named("openai", "text-embedding-ada-002", OptionalInt.empty()).space())
                .isEqualTo(EmbeddingSpace.OPENAI_ADA_002);
        assertThatThrownBy(() -> ProviderSelection.named("openai", "my-model", OptionalInt.empty()))
                .hasMessageContaining("coursebot.embedding.dimensions");
    }
}
