package org.coursebot.ingest.embed;

import java.util.List;
import java.util.Optional;
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

    /**
     * The failure that says the API cannot be reached or refuses the key ({@link EmbeddingFailure#unreachable()}),
     * if one batch failed so: a caller with more to embed stops there.
     */
    public Optional<EmbeddingFailure> unreachable() {
        return failures.stream().map(Failed::failure).filter(EmbeddingFailure::unreachable).findFirst();
    }

    /** Every vector missing, each text failed by {@code failure}: what a run sends nothing for once it has stopped. */
    public static EmbeddedTexts allFailed(int texts, EmbeddingFailure failure) {
        List<Integer> positions = java.util.stream.IntStream.range(0, texts).boxed().toList();
        return new EmbeddedTexts(java.util.Arrays.asList(new float[texts][]), List.of(new Failed(positions, failure)));
    }

    /** Why the first failed batch failed, or "no vector" when none did: the reason a text without a vector gives. */
    public String firstFailure() {
        return failures.isEmpty() ? "no vector" : failures.get(0).failure().getMessage();
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
