package org.coursebot.ingest.embed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingBatch;
import org.coursebot.embedding.EmbeddingConfig;
import org.coursebot.embedding.EmbeddingEngine;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.embedding.EmbeddingListener;
import org.coursebot.embedding.EmbeddingPrices;
import org.coursebot.embedding.ProviderSelection;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;

/**
 * Embeds chunks for the pipeline: token-bounded batches sent one after another under the process's rate
 * limiter, retries and circuit breaker (see {@link org.coursebot.embedding.ResilientEmbedder}), with per-run
 * accounting and metrics. The local model runs on its own bounded pool, never an event loop.
 */
@Startup // a wrong provider or model fails the start, not the first ingest
@ApplicationScoped
public class EmbeddingService {

    private final EmbeddingEngine engine;
    private final double pricePerMillion;
    private final Metrics metrics;
    private final EmbeddingConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    /** The embedders of stored spaces other than the configured one, by space id. */
    private final Map<Integer, EmbeddingService> others = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public EmbeddingService(EmbeddingConfig config, Vertx vertx, MeterRegistry registry) {
        this(config, ProviderSelection.of(config), vertx, registry);
    }

    private EmbeddingService(EmbeddingConfig config, ProviderSelection selection, Vertx vertx, MeterRegistry registry) {
        // Responses of big batches are megabytes of JSON: parsed on the worker pool, not the event loop.
        this.engine = new EmbeddingEngine(config, selection, vertx, Infrastructure.getDefaultWorkerPool());
        this.pricePerMillion = EmbeddingPrices.perMillionTokens(engine.space(), config.pricePerMillionTokens());
        this.metrics = new Metrics(registry, engine);
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    /** The configured model and dimension: the space a database without chunks starts with (migration V4). */
    public EmbeddingSpace space() {
        return engine.space();
    }

    /**
     * The embedder of a stored space: this one when it is the configured space, else one of its own (its own rate
     * limiter and circuit breaker: providers limit each model apart), made once. Fails with an
     * IllegalArgumentException naming what this process lacks (an API key, a local model it runs).
     */
    public EmbeddingService forSpace(StoredSpace stored) {
        ProviderSelection selection = ProviderSelection.forSpace(stored, config);
        if (selection.provider() == engine.selection().provider() && selection.space().equals(space())) {
            return this;
        }
        return others.computeIfAbsent(stored.id(), id -> new EmbeddingService(config, selection, vertx, registry));
    }

    /** One vector per text, in input order; fails (with {@link EmbeddingFailure}) if any batch fails. */
    public Uni<List<float[]>> embed(List<String> texts, EmbeddingUsage usage) {
        return embedEach(texts, usage).map(EmbeddedTexts::orThrow);
    }

    /**
     * One vector per text, in input order, {@code null} for the texts of a batch that failed; the other
     * batches still go out, except once the API proved unreachable or refused the key or model
     * ({@link EmbeddingFailure#unreachable()}), which no later batch would pass. A batch
     * the API refuses as bad input (400) is split in halves until the refused input stands alone, so one bad text
     * fails only itself (and, in the pipeline, only its page), at the cost of about log2(batch size) requests.
     */
    public Uni<EmbeddedTexts> embedEach(List<String> texts, EmbeddingUsage usage) {
        float[][] vectors = new float[texts.size()][];
        Outcome outcome = new Outcome(vectors, Collections.synchronizedList(new ArrayList<>()), new AtomicReference<>(),
                listener(usage));
        return Multi.createFrom().iterable(engine.batches(texts))
                .onItem().transformToUniAndConcatenate(batch -> embedBatch(batch, outcome))
                .collect().asList()
                .map(done -> new EmbeddedTexts(Arrays.asList(vectors), List.copyOf(outcome.failures())));
    }

    /** Where one call's batches put their vectors and failures. */
    private record Outcome(float[][] vectors, List<EmbeddedTexts.Failed> failures,
                           AtomicReference<EmbeddingFailure> fatal, EmbeddingListener listener) {
    }

    private Uni<Boolean> embedBatch(EmbeddingBatch batch, Outcome outcome) {
        if (outcome.fatal().get() != null) {
            outcome.failures().add(new EmbeddedTexts.Failed(batch.positions(), outcome.fatal().get()));
            return Uni.createFrom().item(Boolean.FALSE);
        }
        return engine.embed(batch, engine.batchPolicy(), outcome.listener())
                .map(batchVectors -> place(outcome.vectors(), batch, batchVectors))
                .onFailure(EmbeddingFailure.class).recoverWithUni(e -> {
                    EmbeddingFailure failure = (EmbeddingFailure) e;
                    if (failure.kind() == EmbeddingFailure.Kind.BAD_INPUT && batch.size() > 1) {
                        Log.infof("embedding batch of %d texts refused (%s); splitting it to find the bad input",
                                batch.size(), failure.getMessage());
                        return Multi.createFrom().iterable(halves(batch))
                                .onItem().transformToUniAndConcatenate(half -> embedBatch(half, outcome))
                                .collect().last();
                    }
                    outcome.failures().add(new EmbeddedTexts.Failed(batch.positions(), failure));
                    if (failure.unreachable()) {
                        outcome.fatal().set(failure);
                    }
                    Log.warnf("embedding batch of %d texts failed: %s", batch.size(), failure.getMessage());
                    return Uni.createFrom().item(Boolean.FALSE);
                });
    }

    /** The two halves of a batch, each counted again by the tokenizer, keeping the callers' positions. */
    private List<EmbeddingBatch> halves(EmbeddingBatch batch) {
        int middle = batch.size() / 2;
        return List.of(part(batch, 0, middle), part(batch, middle, batch.size()));
    }

    private EmbeddingBatch part(EmbeddingBatch batch, int from, int to) {
        List<String> inputs = batch.inputs().subList(from, to);
        int tokens = engine.batches(inputs).stream().mapToInt(EmbeddingBatch::tokens).sum();
        return new EmbeddingBatch(batch.positions().subList(from, to), inputs, tokens, 0);
    }

    /** Whether its embeddings cost anything (a price per million tokens above 0): the local model's do not. */
    public boolean charges() {
        return pricePerMillion > 0;
    }

    /** The requests, tokens and cost {@link #embed} would use for these texts; calls nothing. */
    public EmbeddingPlan plan(List<String> texts) {
        List<EmbeddingBatch> batches = engine.batches(texts);
        long tokens = batches.stream().mapToLong(EmbeddingBatch::tokens).sum();
        int maxPerRequest = batches.stream().mapToInt(EmbeddingBatch::tokens).max().orElse(0);
        int truncated = batches.stream().mapToInt(EmbeddingBatch::truncated).sum();
        return new EmbeddingPlan(space(), batches.size(), texts.size(), tokens, maxPerRequest, truncated,
                cost(tokens));
    }

    private static Boolean place(float[][] vectors, EmbeddingBatch batch, List<float[]> batchVectors) {
        if (batchVectors.size() != batch.size()) {
            throw new EmbeddingFailure(EmbeddingFailure.Kind.INVALID_RESPONSE,
                    batchVectors.size() + " vectors for " + batch.size() + " inputs");
        }
        for (int i = 0; i < batch.size(); i++) {
            vectors[batch.positions().get(i)] = batchVectors.get(i);
        }
        return Boolean.TRUE;
    }

    private double cost(long tokens) {
        return tokens * pricePerMillion / 1_000_000d;
    }

    private EmbeddingListener listener(EmbeddingUsage usage) {
        return new EmbeddingListener() {
            @Override
            public void onRequest(int inputs, int tokens, Duration paced) {
                usage.request(paced);
                metrics.requests.increment();
            }

            @Override
            public void onSuccess(int inputs, int tokens) {
                double cost = cost(tokens);
                usage.embedded(inputs, tokens, cost);
                metrics.inputs.increment(inputs);
                metrics.tokens.increment(tokens);
                metrics.cost.increment(cost);
            }

            @Override
            public void onRetry(EmbeddingFailure failure, Duration wait, int attempt) {
                usage.retry(wait);
                metrics.retries.increment();
                Log.infof("embedding request failed (%s); retry %d in %d ms", failure.getMessage(), attempt,
                        wait.toMillis());
            }
        };
    }

    @PreDestroy
    void close() {
        others.values().forEach(EmbeddingService::close);
        engine.close();
    }

    /** Process-wide counters, tagged with the embedding space. */
    private static final class Metrics {
        final Counter requests;
        final Counter inputs;
        final Counter tokens;
        final Counter retries;
        final Counter cost;

        Metrics(MeterRegistry registry, EmbeddingEngine engine) {
            String provider = engine.selection().provider().name().toLowerCase();
            String model = engine.space().model();
            requests = counter(registry, "coursebot.embedding.requests", "embedding API requests, retries included", provider, model);
            inputs = counter(registry, "coursebot.embedding.inputs", "texts embedded", provider, model);
            tokens = counter(registry, "coursebot.embedding.tokens", "tokens embedded (billed)", provider, model);
            retries = counter(registry, "coursebot.embedding.retries", "embedding requests retried", provider, model);
            cost = counter(registry, "coursebot.embedding.cost.usd", "estimated embedding cost in USD", provider, model);
        }

        private static Counter counter(MeterRegistry registry, String name, String help, String provider, String model) {
            return Counter.builder(name).description(help).tag("provider", provider).tag("model", model)
                    .register(registry);
        }
    }
}
