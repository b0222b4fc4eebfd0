package org.coursebot.chat.search;


import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.embedding.EmbeddingConfig;
import org.coursebot.embedding.EmbeddingEngine;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.embedding.EmbeddingListener;
import org.coursebot.model.EmbeddingSpace;

/**
 * Embeds a question for the search, in the same space as the ingested chunks: one short input, a deadline
 * ({@code coursebot.embedding.question.timeout}, retries included), at most
 * {@code question.max-retries} retries, and an LRU cache. Fails only with
 * {@link EmbeddingUnavailableException}, the search's signal to fall back to full-text search.
 */
@ApplicationScoped
public class QuestionEmbedder {

    private final EmbeddingEngine engine;
    private final QuestionEmbeddingCache cache;
    private final Counter hits;
    private final Counter misses;
    private final Counter unavailable;

    public QuestionEmbedder(EmbeddingConfig config, Vertx vertx, MeterRegistry registry) {
        // A question's response is one vector: parsed where it arrives (the event loop), no thread hop.
        this.engine = new EmbeddingEngine(config, vertx, Runnable::run);
        this.cache = new QuestionEmbeddingCache(config.question().cacheSize());
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
        this.unavailable = Counter.builder("coursebot.embedding.question.unavailable")
                .description("questions that could not be embedded (search fell back to full text)").register(registry);
    }

    /** With the local provider, loads the model at start-up rather than inside the first question's deadline. */
    void warmUp(@Observes StartupEvent event) {
        engine.warmUp().subscribe().with(ok -> Log.debug("question embedder ready"),
                e -> Log.warnf("could not load the local embedding model: %s", e.getMessage()));
    }

    /** The model and dimension of question vectors. */
    public EmbeddingSpace space() {
        return engine.space();
    }

    /** The space questions are embedded into, for the embedding-space readiness check. */
    @jakarta.enterprise.inject.Produces
    @jakarta.inject.Singleton
    EmbeddingSpace configuredSpace() {
        return space();
    }

    /** The question's vector; the same question (ignoring surrounding and repeated whitespace) hits the cache. */
    public Uni<float[]> embed(String question) {
        String key = question.strip().replaceAll("\\s+", " ");
        float[] cached = cache.get(key);
        if (cached != null) {
            hits.increment();
            return Uni.createFrom().item(cached.clone());
        }
        misses.increment();
        var batch = engine.single(key);
        var timeout = engine.config().question().timeout();
        return engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                .map(vectors -> vectors.get(0))
                .ifNoItem().after(timeout).failWith(() -> new EmbeddingUnavailableException(
                        "question embedding took longer than " + timeout.toMillis() + " ms", null))
                .onFailure(e -> !(e instanceof EmbeddingUnavailableException)).transform(e -> new EmbeddingUnavailableException(
                        "question embedding unavailable: " + e.getMessage(), e))
                .onFailure().invoke(e -> {
                    unavailable.increment();
                    Log.warnf("%s; searching by full text only", e.getMessage());
                })
                .invoke(vector -> cache.put(key, vector.clone()));
    }

    @PreDestroy
    void close() {
        engine.close();
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("coursebot.embedding.question.cache").description("question embedding cache lookups")
                .tag("result", result).register(registry);
    }

    /** Entries in the question cache (for tests and metrics). */
    int cachedQuestions() {
        return cache.size();
    }
}
