package org.coursebot.embedding;

import java.time.Duration;

/** What an embedding call reports as it goes, for per-run accounting and metrics. */
public interface EmbeddingListener {

    EmbeddingListener NONE = new EmbeddingListener() {
    };

    /** A request is going out now (after waiting {@code paced} for the rate limiter). */
    default void onRequest(int inputs, int tokens, Duration paced) {
    }

    /** A batch came back: {@code tokens} as billed ({@code usage.prompt_tokens}, else our count). */
    default void onSuccess(int inputs, int tokens) {
    }

    /** Attempt {@code attempt} failed; the next goes out after {@code wait}. */
    default void onRetry(EmbeddingFailure failure, Duration wait, int attempt) {
    }
}
