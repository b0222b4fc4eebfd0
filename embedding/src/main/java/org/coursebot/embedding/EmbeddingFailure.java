package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;

/** Why an embeddings request failed, whether to retry it, and how long the server asked us to wait. */
public final class EmbeddingFailure extends RuntimeException {

    /**
     * What went wrong. MALFORMED_RESPONSE (a body that is not complete JSON: cut by a proxy or a dropped
     * connection) is retried; INVALID_RESPONSE (well-formed, but the wrong count or dimension of vectors: a
     * misconfiguration another attempt would not fix) is not.
     */
    public enum Kind {
        RATE_LIMITED(true), SERVER_ERROR(true), TIMEOUT(true), CONNECTION(true), CIRCUIT_OPEN(true), MALFORMED_RESPONSE(true),
        BAD_KEY(false), FORBIDDEN(false), BAD_INPUT(false), INVALID_RESPONSE(false), OVERLOADED(false);

        final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public EmbeddingFailure(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public EmbeddingFailure(Kind kind, String message) {
        this(kind, 0, null, message, null);
    }

    /** Maps an HTTP error status to a failure whose message says what to fix. */
    public static EmbeddingFailure ofStatus(int status, Duration retryAfter, String body) {
        String detail = body == null ? "" : ": " + abbreviate(body);
        return switch (status) {
            case 401 -> new EmbeddingFailure(Kind.BAD_KEY, status, null,
                    "the embeddings API rejected the API key (401): check OPENAI_API_KEY" + detail, null);
            case 403 -> new EmbeddingFailure(Kind.FORBIDDEN, status, null,
                    "the API key may not use this model or region (403)" + detail, null);
            case 429 -> new EmbeddingFailure(Kind.RATE_LIMITED, status, retryAfter,
                    "rate limited by the embeddings API (429)" + detail, null);
            default -> status >= 500
                    ? new EmbeddingFailure(Kind.SERVER_ERROR, status, retryAfter,
                            "the embeddings API failed (" + status + ")" + detail, null)
                    : new EmbeddingFailure(Kind.BAD_INPUT, status, null,
                            "the embeddings API refused the input (" + status + "), not retried" + detail, null);
        };
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, 0 when there was no response. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return kind.retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
