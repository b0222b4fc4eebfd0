package org.coursebot.ingest.embed;

import java.util.List;
import java.util.stream.Collectors;

import org.coursebot.embedding.EmbeddingFailure;

/**
 * Vectors in input order, with {@code null} where a text's batch failed: a failed batch leaves its texts
 * without a vector rather than shifting anyone else's.
 */
public record EmbeddedTexts(List<float[]> vectors, List<Failed> failures) {

    /** The input positions of one failed batch and why it failed. */
    public record Failed(List<Integer> positions, EmbeddingFailure failure) {
    }

    public boolean complete() {
        return failures.isEmpty();
    }

    /** All vectors, or the first failure (with how many texts failed) when any batch failed. */
    public List<float[]> orThrow() {
        if (failures.isEmpty()) {
            return vectors;
        }
        EmbeddingFailure first = failures.get(0).failure();
        int failed = failures.stream().mapToInt(f -> f.positions().size()).sum();
        String kinds = failures.stream().map(f -> f.failure().kind().name()).distinct().collect(Collectors.joining(", "));
        throw new EmbeddingFailure(first.kind(), first.status(), null, failed + " of " + vectors.size()
                + " texts not embedded (" + kinds + "): " + first.getMessage(), first);
    }
}
