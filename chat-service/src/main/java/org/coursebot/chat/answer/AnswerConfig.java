package org.coursebot.chat.answer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How answers are written. */
@ConfigMapping(prefix = "coursebot.answer")
public interface AnswerConfig {

    /** {@code auto} (llm when the chat model has an API key, else extractive), {@code llm} or {@code extractive}. */
    @WithDefault("auto")
    Mode mode();

    /** How answers are written, as configured. */
    enum Mode { AUTO, LLM, EXTRACTIVE }

    /**
     * The chat model's API key; application.properties gives it the embeddings' (OPENAI_API_KEY) unless set. Never
     * logged.
     */
    Optional<String> apiKey();

    /**
     * Base URL of the OpenAI-compatible API the chat model is called at, ending before /chat/completions;
     * application.properties gives it the embeddings' (OPENAI_BASE_URL) unless set.
     */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** The OpenAI chat model (also COURSEBOT_ANSWER_MODEL). */
    @WithDefault("gpt-4o-mini")
    String model();

    /** Longest answer the model may write, in tokens (also COURSEBOT_ANSWER_MAX_TOKENS): bounds cost and time. */
    @WithDefault("600")
    int maxTokens();

    /** Sampling temperature: low, so answers keep to the sources. */
    @WithDefault("0.2")
    double temperature();

    /** Answers streamed from the model at once (HTTP connections to it); more wait for a free one. */
    @WithDefault("64")
    int maxStreams();

    /** Passages an extractive answer quotes. */
    @WithDefault("3")
    int extractivePassages();

    /** Sentences kept from each quoted passage. */
    @WithDefault("3")
    int extractiveSentences();

    /** Characters of sources given to the chat model (about 4 per token): bounds prompt size and cost. */
    @WithDefault("12000")
    int maxSourceChars();

    /** Longest wait for the chat model's first (and each next) piece of text. */
    @WithDefault("15s")
    Duration llmTimeout();

    /** Retries of a chat model call that failed before sending any text (a started answer is never repeated). */
    @WithDefault("2")
    int llmRetries();

    /** Consecutive failed chat model calls that open the circuit: answers are then extractive without trying. */
    @WithDefault("5")
    int llmCircuitFailureThreshold();

    /** How long the circuit stays open before one call is let through to try again. */
    @WithDefault("30s")
    Duration llmCircuitOpenDuration();

    /**
     * USD the chat model's answers of one course may cost per UTC day, every instance together (also
     * COURSEBOT_ANSWER_DAILY_BUDGET); past it, answers are extractive with a short note. 0: no ceiling.
     */
    @WithDefault("10")
    BigDecimal dailyBudget();

    /** The chat model's price, when it is not one of AnswerPrices' (or differs from it). */
    Price price();

    /** USD per 1M tokens. */
    interface Price {

        /** Of the prompt (also COURSEBOT_ANSWER_PRICE_INPUT_PER_MILLION). */
        OptionalDouble inputPerMillion();

        /** Of the answer written (also COURSEBOT_ANSWER_PRICE_OUTPUT_PER_MILLION). */
        OptionalDouble outputPerMillion();
    }

    /** The condense call that turns a follow-up into a standalone question before it is searched (issue 29). */
    Condense condense();

    /**
     * One short call to a chat model, only for a question that leans on the conversation (QuestionInContext) and only
     * when answers are written by the chat model; when it fails, is slow or says something unusable, the follow-up is
     * searched joined with the earlier questions it leans on, as without a model.
     */
    interface Condense {

        /** Whether follow-ups are condensed by the chat model (also COURSEBOT_ANSWER_CONDENSE_ENABLED). */
        @WithDefault("true")
        boolean enabled();

        /** The model: a cheap one will do, apart from the answering model (also COURSEBOT_ANSWER_CONDENSE_MODEL). */
        @WithDefault("gpt-4o-mini")
        String model();

        /** Longest standalone question it may write, in tokens: a question, not an answer. */
        @WithDefault("60")
        int maxTokens();

        /** Longest wait for the whole standalone question; past it the follow-up is searched without it. */
        @WithDefault("2s")
        Duration timeout();

        /** Earlier turns of the conversation it is shown, the latest ones (each cut to 600 characters). */
        @WithDefault("6")
        int historyTurns();
    }
}
