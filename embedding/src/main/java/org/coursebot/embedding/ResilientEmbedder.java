package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Sends one batch to the API under the process-wide rate limiter and circuit breaker, retrying what a retry
 * may fix (429, 5xx, timeouts, resets, refused connections) with exponential backoff and jitter, never sooner
 * than the server's Retry-After, and never what it cannot (400, 401, 403, a host name that does not resolve).
 */
public final class ResilientEmbedder {

    private static final Logger LOG = Logger.getLogger(ResilientEmbedder.class);

    private final OpenAiEmbeddingsClient client;
    private final RequestRateLimiter limiter;
    private final CircuitBreaker breaker;

    public ResilientEmbedder(OpenAiEmbeddingsClient client, RequestRateLimiter limiter, CircuitBreaker breaker) {
        this.client = client;
        this.limiter = limiter;
        this.breaker = breaker;
    }

    /**
     * How one call retries.
     *
     * @param deadline total time for every attempt and wait, or null for none (a retry that would end
     *        past it is not made)
     */
    public record Policy(RetryBackoff backoff, Duration requestTimeout, Duration deadline) {
    }

    public Uni<RemoteEmbeddings> embed(EmbeddingBatch batch, Policy policy, EmbeddingListener listener) {
        long deadline = policy.deadline() == null ? Long.MAX_VALUE : System.nanoTime() + policy.deadline().toNanos();
        return attempt(batch, policy, listener, 1, deadline, null);
    }

    /** @param lastSent how the last request this call sent failed (not the circuit's refusals), or null */
    private Uni<RemoteEmbeddings> attempt(EmbeddingBatch batch, Policy policy, EmbeddingListener listener,
            int attempt, long deadline, EmbeddingFailure lastSent) {
        return Uni.createFrom().deferred(() -> send(batch, policy, listener))
                .onFailure(EmbeddingFailure.class).recoverWithUni(e -> {
                    EmbeddingFailure failure = (EmbeddingFailure) e;
                    EmbeddingFailure sent = failure.kind() == EmbeddingFailure.Kind.CIRCUIT_OPEN ? lastSent : failure;
                    Optional<Duration> wait = retryWait(failure, policy, attempt, deadline);
                    if (wait.isEmpty()) {
                        return Uni.createFrom().failure(givenUp(failure, sent, attempt));
                    }
                    listener.onRetry(failure, wait.get(), attempt);
                    LOG.debugf("embeddings attempt %s failed (%s), retrying in %s ms", (Object) attempt, failure.getMessage(),
                            wait.get().toMillis());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait.get())
                            .chain(() -> attempt(batch, policy, listener, attempt + 1, deadline, sent));
                });
    }

    /**
     * The failure of a call that gives up. When its last attempt met the open circuit, the call fails as its last
     * request did: the circuit opened on failures like it, and a caller must still see that the API cannot be reached
     * (a refused connection alternates with the circuit's refusals once it is open).
     */
    private static EmbeddingFailure givenUp(EmbeddingFailure failure, EmbeddingFailure lastSent, int attempts) {
        EmbeddingFailure last = failure.kind() == EmbeddingFailure.Kind.CIRCUIT_OPEN && lastSent != null ? lastSent : failure;
        return attempts == 1 ? last : new EmbeddingFailure(last.kind(), last.status(), null,
                last.getMessage() + " (after " + attempts + " attempts)", last);
    }

    private Optional<Duration> retryWait(EmbeddingFailure failure, Policy policy, int attempt, long deadline) {
        if (!failure.retryable() || attempt >= policy.backoff().maxAttempts()) {
            return Optional.empty();
        }
        Duration wait = policy.backoff().delay(attempt, failure.retryAfter());
        boolean fits = deadline == Long.MAX_VALUE || System.nanoTime() + wait.toNanos() < deadline;
        return fits ? Optional.of(wait) : Optional.empty();
    }

    private Uni<RemoteEmbeddings> send(EmbeddingBatch batch, Policy policy, EmbeddingListener listener) {
        Optional<Duration> refusal = breaker.refusal();
        if (refusal.isPresent()) {
            return Uni.createFrom().failure(new EmbeddingFailure(EmbeddingFailure.Kind.CIRCUIT_OPEN, 0, refusal.get(),
                    "the embeddings circuit is open after repeated failures", null));
        }
        Duration pace = limiter.reserve(batch.tokens());
        Uni<Void> paced = pace.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(pace);
        return paced.chain(() -> {
            listener.onRequest(batch.size(), batch.tokens(), pace);
            return client.embed(batch.inputs(), policy.requestTimeout());
        }).onItemOrFailure().invoke((ok, failure) -> {
            if (failure == null) {
                breaker.onSuccess();
                listener.onSuccess(batch.size(), ok.promptTokens() >= 0 ? ok.promptTokens() : batch.tokens());
            } else if (failure instanceof EmbeddingFailure f && f.retryable()) {
                breaker.onFailure();
            } else {
                breaker.onAbandoned();
            }
        }).onCancellation().invoke(breaker::onAbandoned);
    }
}
