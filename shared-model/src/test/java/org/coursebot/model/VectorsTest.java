package org.coursebot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void roundTripsThroughPgvectorTextForm() {
        float[] v = {0.25f, -1.5f, 3.0e-5f};
        String text = Vectors.toText(v);
        assertThat(text).startsWith("[").endsWith("]");
        assertThat(Vectors.fromText(text)).containsExactly(v);
    }

    @Test
    void rejectsTextThatIsNotAVector() {
        assertThatThrownBy(() -> Vectors.fromText("[1,two]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schemaVersionReadsOnlyItsOwnComments() {
        assertThat(SchemaVersion.parse("coursebot-schema:7")).isEqualTo(7);
        assertThat(SchemaVersion.parse("something else")).isEqualTo(-1);
        assertThat(SchemaVersion.parse(null)).isEqualTo(-1);
    }

    @Test
    void embeddingSpaceNamesModelAndDimension() {
        assertThat(EmbeddingSpace.LOCAL_MINILM.toString()).isEqualTo("all-minilm-l6-v2-q/384");
        assertThatThrownBy(() -> new EmbeddingSpace("m", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
