package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;

/** Why an embeddings request failed, whether to retry it, and how long the server asked us to wait. */
public final class EmbeddingFailure extends RuntimeException {

    /**
     * What went wrong. MALFORMED_RESPONSE (a body that is not complete JSON: cut by a proxy or a dropped
     * connection) is retried; INVALID_RESPONSE (well-formed, but the wrong count or dimension of vectors: a
     * misconfiguration another attempt would not fix) is not.
     *
     * <p>The kinds that mean the API cannot be reached or refuses the key ({@link #unreachable()}) fail every
     * later request the same way: UNKNOWN_HOST (the resolver says the base URL's name does not exist: it does not
     * start existing a few seconds later, so it is not retried), NO_RESOLVER (no resolver answered: retried, as it
     * may be a blip), REFUSED (nothing listens at the address: retried, because a proxy or a self-hosted server
     * being restarted refuses for a few seconds), BAD_KEY and FORBIDDEN. A retried kind that still fails the last
     * attempt of a request, about 30 s with the default backoff, means the API is down.
     */
    public enum Kind {
        RATE_LIMITED(true, false), SERVER_ERROR(true, false), TIMEOUT(true, false), CONNECTION(true, false),
        CIRCUIT_OPEN(true, false), MALFORMED_RESPONSE(true, false),
        UNKNOWN_HOST(false, true), NO_RESOLVER(true, true), REFUSED(true, true), BAD_KEY(false, true),
        FORBIDDEN(false, true),
        BAD_INPUT(false, false), INVALID_RESPONSE(false, false), OVERLOADED(false, false);

        final boolean retryable;
        final boolean unreachable;

        Kind(boolean retryable, boolean unreachable) {
            this.retryable = retryable;
            this.unreachable = unreachable;
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

    /** Maps an HTTP error status of the API at {@code host} to a failure whose message says what to fix. */
    public static EmbeddingFailure ofStatus(String host, int status, Duration retryAfter, String body) {
        String detail = body == null ? "" : ": " + abbreviate(body);
        return switch (status) {
            case 401 -> new EmbeddingFailure(Kind.BAD_KEY, status, null,
                    "the embeddings API at " + host + " rejected the API key (401): check OPENAI_API_KEY" + detail, null);
            case 403 -> new EmbeddingFailure(Kind.FORBIDDEN, status, null,
                    "the embeddings API at " + host + " does not let the API key use this model or region (403)"
                            + detail, null);
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

    /**
     * The API cannot be reached (the name does not resolve, nothing listens) or refuses the key or model: once a
     * request has failed so, after its retries, every later one of this embedder would too, so a caller with more
     * to send stops and says why instead of sending them.
     */
    public boolean unreachable() {
        return kind.unreachable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
