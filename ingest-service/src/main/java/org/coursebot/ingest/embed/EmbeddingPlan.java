package org.coursebot.ingest.embed;

import org.coursebot.model.EmbeddingSpace;

/**
 * What {@link EmbeddingService#embed} would do for some texts, computed without calling anything: the
 * dry-run cost preview.
 *
 * @param requests requests at the configured bounds (no retries)
 * @param truncatedInputs inputs over the per-input token limit, which would be truncated
 */
public record EmbeddingPlan(EmbeddingSpace space, int requests, int inputs, long tokens, int maxTokensPerRequest,
        int truncatedInputs, double estimatedCostUsd) {
}
