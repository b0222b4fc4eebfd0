package org.coursebot.embedding;

import java.util.Map;
import java.util.OptionalDouble;

import org.coursebot.model.EmbeddingSpace;

/** USD per 1M input tokens, from OpenAI's price list; a configured price wins. */
public final class EmbeddingPrices {

    private static final Map<String, Double> PER_MILLION = Map.of(
            "text-embedding-3-small", 0.02,
            "text-embedding-3-large", 0.13,
            "text-embedding-ada-002", 0.10,
            EmbeddingSpace.LOCAL_MINILM.model(), 0.0);

    private EmbeddingPrices() {
    }

    public static double perMillionTokens(EmbeddingSpace space, OptionalDouble configured) {
        return configured.orElse(PER_MILLION.getOrDefault(space.model(), 0.0));
    }
}
