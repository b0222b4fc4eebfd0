package org.coursebot.chat.space;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import org.coursebot.embedding.EmbeddingEngine;
import org.coursebot.embedding.EmbeddingListener;
import org.coursebot.model.EmbeddingSpace;

/**
 * Embeds a question into one embedding space (made by {@link SpaceEmbedders}): one short input, a deadline
 * ({@code coursebot.embedding.question.timeout}, retries included), at most {@code question.max-retries} retries,
 * and an LRU cache of its own. Fails only with {@link EmbeddingUnavailableException}, the search's signal to fall
 * back to full-text search.
 */
public final class QuestionEmbedder implements AutoCloseable {

    private final EmbeddingEngine engine;
    private final QuestionEmbeddingCache cache;
    private final Counters counters;

    QuestionEmbedder(EmbeddingEngine engine, int cacheSize, Counters counters) {
        this.engine = engine;
        this.cache = new QuestionEmbeddingCache(cacheSize);
        this.counters = counters;
    }

    /** The model and dimension of this embedder's vectors. */
    public EmbeddingSpace space() {
        return engine.space();
    }

    /** The question's vector; the same question (ignoring surrounding and repeated whitespace) hits the cache. */
    public Uni<float[]> embed(String question) {
        String key = question.strip().replaceAll("\\s+", " ");
        float[] cached = cache.get(key);
        if (cached != null) {
            counters.hits().increment();
            return Uni.createFrom().item(cached.clone());
        }
        counters.misses().increment();
        return uncached(key)
                .onFailure().invoke(e -> {
                    counters.unavailable().increment();
                    Log.warnf("%s; searching by full text only", e.getMessage());
                })
                .invoke(vector -> cache.put(key, vector.clone()));
    }

    /** A text's vector past the cache and its counters (a probe of the space, not a question), in the same deadline. */
    public Uni<float[]> probe(String text) {
        return uncached(text);
    }

    private Uni<float[]> uncached(String text) {
        var timeout = engine.config().question().timeout();
        return engine.embed(engine.single(text), engine.questionPolicy(), EmbeddingListener.NONE)
                .map(vectors -> vectors.get(0))
                .ifNoItem().after(timeout).failWith(() -> new EmbeddingUnavailableException(
                        "question embedding took longer than " + timeout.toMillis() + " ms", null))
                .onFailure(e -> !(e instanceof EmbeddingUnavailableException)).transform(e ->
                        new EmbeddingUnavailableException("question embedding unavailable: " + e.getMessage(), e));
    }

    /** With the local provider, loads the model (on its own worker pool); nothing to do for OpenAI. */
    public Uni<Void> warmUp() {
        return engine.warmUp();
    }

    /** Entries in the question cache (for tests). */
    int cachedQuestions() {
        return cache.size();
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The question path's counters, one set for every space's embedder. */
    record Counters(Counter hits, Counter misses, Counter unavailable) {

        static Counters register(MeterRegistry registry) {
            return new Counters(cache(registry, "hit"), cache(registry, "miss"),
                    Counter.builder("coursebot.embedding.question.unavailable")
                            .description("questions that could not be embedded (search fell back to full text)")
                            .register(registry));
        }

        private static Counter cache(MeterRegistry registry, String result) {
            return Counter.builder("coursebot.embedding.question.cache").description("question embedding cache lookups")
                    .tag("result", result).register(registry);
        }
    }
}
