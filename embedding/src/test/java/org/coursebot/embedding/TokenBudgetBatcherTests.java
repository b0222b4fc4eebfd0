package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TokenBudgetBatcherTests {

    private final TokenCounter counter = TokenCounter.cl100k();

    @Test
    void splitsByInputCountKeepingInputOrder() {
        List<String> texts = IntStream.range(0, 10).mapToObj(i -> "text number " + i).toList();
        var batches = new TokenBudgetBatcher(4, 1_000, 100).batches(texts);

        assertThat(batches).extracting(EmbeddingBatch::size).containsExactly(4, 4, 2);
        assertThat(batches.stream().flatMap(b -> b.positions().stream())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(batches.stream().flatMap(b -> b.inputs().stream())).containsExactlyElementsOf(texts);
    }

    @Test
    void neverPutsMoreTokensInARequestThanTheBound() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("word ".repeat(5 + (i * 7) % 40).trim());
        }
        var batches = new TokenBudgetBatcher(2048, 120, 100).batches(texts);

        for (EmbeddingBatch b : batches) {
            int counted = b.inputs().stream().mapToInt(counter::count).sum();
            assertThat(counted).isEqualTo(b.tokens()).isLessThanOrEqualTo(120);
        }
        assertThat(batches.stream().mapToInt(EmbeddingBatch::size).sum()).isEqualTo(50);
        // Greedy packing: no two neighbouring batches would have fit in one.
        for (int i = 1; i < batches.size(); i++) {
            int next = counter.count(batches.get(i).inputs().get(0));
            assertThat(batches.get(i - 1).tokens() + next).isGreaterThan(120);
        }
    }

    @Test
    void truncatesAnInputOverThePerInputLimitInsteadOfSendingIt() {
        String huge = "lorem ipsum dolor sit amet ".repeat(400);
        var batches = new TokenBudgetBatcher(2048, 250_000, 100).batches(List.of("short", huge, "tail"));

        assertThat(batches).hasSize(1);
        EmbeddingBatch b = batches.get(0);
        assertThat(b.truncated()).isEqualTo(1);
        assertThat(counter.count(b.inputs().get(1))).isLessThanOrEqualTo(100).isGreaterThan(90);
        assertThat(huge).startsWith(b.inputs().get(1));
        assertThat(b.inputs()).element(2).isEqualTo("tail");
    }
}
