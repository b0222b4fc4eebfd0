package org.coursebot.embedding;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.coursebot.model.EmbeddingSpace;
import org.jboss.logging.Logger;

/**
 * One process's embedding machinery, built from {@link EmbeddingConfig}: the selected provider, and for
 * OpenAI the client, rate limiter and circuit breaker that every call of the process shares. Each
 * service wraps it in its own bean and adds what its path needs (batch accounting, a question cache).
 */
public final class EmbeddingEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddingEngine.class);

    private final EmbeddingConfig config;
    private final ProviderSelection selection;
    private final TokenBudgetBatcher batcher;
    private final ResilientEmbedder remote;
    private final LocalEmbeddingModel local;

    public EmbeddingEngine(EmbeddingConfig config, Vertx vertx, Executor parser) {
        this(config, ProviderSelection.of(config), vertx, parser);
    }

    /** The machinery for one embedding space ({@link ProviderSelection#forSpace}), with the rest of {@code config}. */
    public EmbeddingEngine(EmbeddingConfig config, ProviderSelection selection, Vertx vertx, Executor parser) {
        this.config = config;
        this.selection = selection;
        if (selection.provider() == EmbeddingProvider.OPENAI) {
            this.batcher = new TokenBudgetBatcher(config.batch().maxInputs(), config.batch().maxTokens(),
                    config.batch().maxInputTokens());
            var client = new OpenAiEmbeddingsClient(vertx, config.baseUrl(), config.apiKey().orElse(null), selection,
                    config.encodingFormat(), parser);
            this.remote = new ResilientEmbedder(client,
                    new RequestRateLimiter(config.rate().requestsPerMinute(), config.rate().tokensPerMinute()),
                    new CircuitBreaker(config.circuit().failureThreshold(), config.circuit().openDuration()));
            this.local = null;
        } else {
            // The local model has no token limit per request that matters; batches only bound memory.
            this.batcher = new TokenBudgetBatcher(config.local().batchSize(), Integer.MAX_VALUE, Integer.MAX_VALUE);
            this.remote = null;
            this.local = new LocalEmbeddingModel(config.local().threads(), config.local().queue());
        }
        LOG.infof("embeddings: provider %s, space %s%s", selection.provider().name().toLowerCase(), selection.space(),
                selection.provider() == EmbeddingProvider.OPENAI ? ", base URL " + config.baseUrl() : "");
    }

    public EmbeddingSpace space() {
        return selection.space();
    }

    public ProviderSelection selection() {
        return selection;
    }

    public EmbeddingConfig config() {
        return config;
    }

    /**
     * One short text (a question) as its own request, without the tokenizer: its length in characters bounds its
     * tokens from above, which is all the rate limiter needs, and a question (at most 2,000 characters) is far
     * under the per-input limit.
     */
    public EmbeddingBatch single(String text) {
        return new EmbeddingBatch(List.of(0), List.of(text), text.length(), 0);
    }

    /** The requests {@link #embed} would make for these texts, in order. */
    public List<EmbeddingBatch> batches(List<String> texts) {
        return batcher.batches(texts);
    }

    /** The ingest path's policy: the configured attempts and backoff, no overall deadline. */
    public ResilientEmbedder.Policy batchPolicy() {
        var retry = config.retry();
        return new ResilientEmbedder.Policy(new RetryBackoff(retry.maxAttempts(), retry.initialBackoff(),
                retry.maxBackoff()), config.requestTimeout(), null);
    }

    /** The question path's policy: few, quick retries inside the question deadline. */
    public ResilientEmbedder.Policy questionPolicy() {
        var q = config.question();
        return new ResilientEmbedder.Policy(new RetryBackoff(q.maxRetries() + 1, q.initialBackoff(),
                q.timeout()), q.timeout(), q.timeout());
    }

    /** Vectors of one batch, in the batch's order; provider-specific token accounting goes to the listener. */
    public Uni<List<float[]>> embed(EmbeddingBatch batch, ResilientEmbedder.Policy policy, EmbeddingListener listener) {
        if (remote != null) {
            return remote.embed(batch, policy, listener).map(RemoteEmbeddings::vectors);
        }
        return Uni.createFrom().deferred(() -> {
            listener.onRequest(batch.size(), batch.tokens(), Duration.ZERO);
            return local.embed(batch.inputs()).invoke(v -> listener.onSuccess(batch.size(), batch.tokens()));
        });
    }

    /**
     * Loads the local model now (on its worker pool, not the caller's thread) so the first question does not
     * pay the ~2 s load inside its deadline; does nothing for OpenAI.
     */
    public Uni<Void> warmUp() {
        if (local == null) {
            return Uni.createFrom().voidItem();
        }
        return local.embed(List.of("warm up")).replaceWithVoid();
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
