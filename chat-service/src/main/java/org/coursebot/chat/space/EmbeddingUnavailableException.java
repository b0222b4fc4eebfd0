package org.coursebot.chat.space;

/**
 * A question could not be embedded in time (API down or refusing, circuit open, timed out): the search
 * falls back to full-text search and says so ({@code "degraded": true}).
 */
public class EmbeddingUnavailableException extends RuntimeException {

    public EmbeddingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
