package org.coursebot.chat.answer;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.TokenCounter;

/**
 * Token counts for /v1's usage and the answers' budget, with cl100k_base ({@link TokenCounter}). The vocabulary is read on first use, off
 * the event loop; a whole conversation (up to 100 messages, ~20 ms) is counted off it too. Short texts (an answer,
 * a piece of one) are counted where they are, with {@link #counter()} once it is loaded.
 */
@ApplicationScoped
public class TokenUsage {

    private final Uni<TokenCounter> counter = Uni.createFrom().item(TokenCounter::cl100k)
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).memoize().indefinitely();

    /** The counter, loaded on a worker thread the first time; at once afterwards. */
    public Uni<TokenCounter> counter() {
        return counter;
    }

    /** The tokens of all {@code texts} together, counted on a worker thread. */
    public Uni<Integer> count(List<String> texts) {
        return counter.chain(c -> Uni.createFrom().item(() -> texts.stream().mapToInt(c::count).sum())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }
}
