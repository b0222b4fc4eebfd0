package org.coursebot.embedding;

import java.util.List;

/**
 * One request's worth of inputs.
 *
 * @param positions where each input sits in the caller's list (the vectors go back there)
 * @param inputs the texts to send, possibly truncated
 * @param tokens the inputs' token count
 * @param truncated how many inputs were cut to the per-input token limit
 */
public record EmbeddingBatch(List<Integer> positions, List<String> inputs, int tokens, int truncated) {

    public EmbeddingBatch {
        positions = List.copyOf(positions);
        inputs = List.copyOf(inputs);
        if (positions.size() != inputs.size()) {
            throw new IllegalArgumentException("positions and inputs differ in size");
        }
    }

    public int size() {
        return inputs.size();
    }
}
