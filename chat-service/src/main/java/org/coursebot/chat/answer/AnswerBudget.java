package org.coursebot.chat.answer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.limits.SpendLedger;

/**
 * A course's daily budget for the chat model ({@code coursebot.answer.daily-budget}, issue 32). Before an answer is
 * written, the most it can cost (its prompt's tokens and {@code max-tokens}, at the model's price) is reserved from the
 * day's budget that every instance shares ({@link SpendLedger}); when it does not fit, the answer is extractive. After,
 * what the answer did not use is given back: its cost is its prompt and the tokens it wrote, counted with cl100k_base
 * as /v1's usage is (within a few per cent of the API's own count; the reservation's bound is exact).
 */
@ApplicationScoped
public class AnswerBudget {

    /** Tokens the chat format adds per message, and to prime the reply (OpenAI's counting guide: 3 each, rounded up). */
    static final int TOKENS_PER_MESSAGE = 4;
    static final int TOKENS_PER_REPLY = 3;

    /** The note an answer downgraded by the budget ends with. */
    static final String NOTE = "\n\n(Today's budget for written answers is spent, so this answer quotes the course"
            + " directly.)";

    /** What an answer reserved, and its prompt's tokens, to settle it. */
    record Reservation(SpendLedger.Grant grant, int promptTokens) {
        boolean granted() {
            return grant.granted();
        }
    }

    private final AnswerConfig config;
    private final SpendLedger ledger;
    private final TokenUsage tokens;
    private final AnswerPrices.Price price;
    private final Counter downgraded;
    private final Counter spentMicros;

    public AnswerBudget(AnswerConfig config, SpendLedger ledger, TokenUsage tokens, MeterRegistry registry) {
        this.config = config;
        this.ledger = ledger;
        this.tokens = tokens;
        this.price = AnswerPrices.of(config.model(), config.price());
        if (limits() && !AnswerPrices.listed(config.model()) && config.price().inputPerMillion().isEmpty()) {
            Log.warnf("answer budget: no price known for %s; counting it at the dearest listed (%s, %s USD per 1M tokens)"
                    + " until COURSEBOT_ANSWER_PRICE_INPUT_PER_MILLION and _OUTPUT_PER_MILLION are set", config.model(),
                    price.inputPerMillion(), price.outputPerMillion());
        }
        this.downgraded = Counter.builder("coursebot.answer.budget.downgraded")
                .description("answers made extractive because the course's daily budget was spent").register(registry);
        this.spentMicros = Counter.builder("coursebot.answer.spend")
                .description("what this process's written answers cost, in millionths of a USD").register(registry);
    }

    /** Whether a budget applies ({@code daily-budget} above 0). */
    boolean limits() {
        return config.dailyBudget().signum() > 0;
    }

    /** Reserves the most an answer to {@code prompt} can cost from {@code source}'s budget (null: every course). */
    Uni<Reservation> reserve(String source, List<ChatModelClient.Message> prompt) {
        // Counted where the answer runs, once the vocabulary is loaded (a prompt of max-source-chars: well under a
        // millisecond): a hop to a worker thread here left a few abandoned SSE answers held for good
        // (AbandonedStreamsTests: 3 of 1,000 request contexts).
        return tokens.counter().chain(counter -> {
            int in = prompt.stream().mapToInt(m -> counter.count(m.content())).sum();
            int promptTokens = in + TOKENS_PER_MESSAGE * prompt.size() + TOKENS_PER_REPLY;
            return ledger.reserve(source == null ? "" : source, usd(promptTokens, config.maxTokens()), config.dailyBudget())
                    .map(grant -> {
                        if (!grant.granted()) {
                            downgraded.increment();
                        }
                        return new Reservation(grant, promptTokens);
                    });
        });
    }

    /**
     * Gives back what the answer did not use: {@code written} is its text; {@code billed}, whether the model was
     * asked at all (a call refused before it started costs nothing).
     */
    void settle(Reservation reservation, String written, boolean billed) {
        if (!reservation.granted()) {
            return;
        }
        tokens.counter().subscribe().with(counter -> {
            BigDecimal used = billed ? usd(reservation.promptTokens(), counter.count(written)) : BigDecimal.ZERO;
            spentMicros.increment(used.movePointRight(6).doubleValue());
            ledger.settle(reservation.grant(), used);
        });
    }

    /** The note's text, for the answer the budget made extractive. */
    static String downgradedText(String extractive) {
        return extractive + NOTE;
    }

    private BigDecimal usd(int inputTokens, int outputTokens) {
        double usd = (inputTokens * price.inputPerMillion() + outputTokens * price.outputPerMillion()) / 1_000_000.0;
        return BigDecimal.valueOf(usd).setScale(8, RoundingMode.UP);
    }
}
