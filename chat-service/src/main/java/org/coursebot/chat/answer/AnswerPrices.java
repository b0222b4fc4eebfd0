package org.coursebot.chat.answer;

import java.util.Map;

/**
 * USD per 1M tokens of OpenAI's chat models, from its price list (2026); a configured price wins
 * ({@link AnswerConfig.Price}). A model not listed is priced as the dearest listed, so that a budget never
 * underestimates it.
 */
final class AnswerPrices {

    /** Input and output USD per 1M tokens. */
    record Price(double inputPerMillion, double outputPerMillion) {
    }

    private static final Map<String, Price> LISTED = Map.of(
            "gpt-4o-mini", new Price(0.15, 0.60),
            "gpt-4o", new Price(2.50, 10.00),
            "gpt-4.1", new Price(2.00, 8.00),
            "gpt-4.1-mini", new Price(0.40, 1.60),
            "gpt-4.1-nano", new Price(0.10, 0.40),
            "gpt-3.5-turbo", new Price(0.50, 1.50));

    static final Price DEAREST = new Price(
            LISTED.values().stream().mapToDouble(Price::inputPerMillion).max().orElseThrow(),
            LISTED.values().stream().mapToDouble(Price::outputPerMillion).max().orElseThrow());

    private AnswerPrices() {
    }

    static boolean listed(String model) {
        return LISTED.containsKey(model);
    }

    static Price of(String model, AnswerConfig.Price configured) {
        Price listed = LISTED.getOrDefault(model, DEAREST);
        return new Price(configured.inputPerMillion().orElse(listed.inputPerMillion()),
                configured.outputPerMillion().orElse(listed.outputPerMillion()));
    }
}
