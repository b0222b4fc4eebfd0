package org.coursebot.embedding;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * Splits texts into requests bounded by input count and by tokens, in input order. An input over the
 * per-input limit is truncated (not split: one text must keep exactly one vector) and logged, since
 * OpenAI rejects the whole request otherwise; the chunker is meant never to produce one.
 */
public final class TokenBudgetBatcher {

    private static final Logger LOG = Logger.getLogger(TokenBudgetBatcher.class);

    private final int maxInputs;
    private final int maxTokens;
    private final int maxInputTokens;

    public TokenBudgetBatcher(int maxInputs, int maxTokens, int maxInputTokens) {
        if (maxInputs < 1 || maxTokens < 1 || maxInputTokens < 1) {
            throw new IllegalArgumentException("batch bounds must be positive");
        }
        this.maxInputs = maxInputs;
        this.maxTokens = maxTokens;
        // A request must hold at least one input of the longest allowed size.
        this.maxInputTokens = Math.min(maxInputTokens, maxTokens);
    }

    public List<EmbeddingBatch> batches(List<String> texts) {
        TokenCounter counter = TokenCounter.cl100k();
        List<EmbeddingBatch> batches = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        int tokens = 0;
        int truncated = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int count = counter.count(text);
            boolean cut = count > maxInputTokens;
            if (cut) {
                LOG.warnf("embedding input %d has %d tokens, over the %d-token limit: truncated to its first %d tokens",
                        i, count, maxInputTokens, maxInputTokens);
                String original = text;
                int keep = maxInputTokens;
                do { // decoding a cut token list can re-encode a little longer: cut again until it fits
                    text = counter.truncate(original, keep);
                    keep -= Math.max(1, counter.count(text) - maxInputTokens);
                    count = counter.count(text);
                } while (count > maxInputTokens && keep > 0);
            }
            if (!inputs.isEmpty() && (inputs.size() == maxInputs || tokens + count > maxTokens)) {
                batches.add(new EmbeddingBatch(positions, inputs, tokens, truncated));
                positions = new ArrayList<>();
                inputs = new ArrayList<>();
                tokens = 0;
                truncated = 0;
            }
            positions.add(i);
            truncated += cut ? 1 : 0;
            inputs.add(text.isEmpty() ? " " : text);
            tokens += count;
        }
        if (!inputs.isEmpty()) {
            batches.add(new EmbeddingBatch(positions, inputs, tokens, truncated));
        }
        return batches;
    }
}
