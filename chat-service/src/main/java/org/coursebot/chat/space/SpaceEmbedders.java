package org.coursebot.chat.space;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingConfig;
import org.coursebot.embedding.EmbeddingEngine;
import org.coursebot.embedding.ProviderSelection;
import org.coursebot.model.StoredSpace;

/**
 * A {@link QuestionEmbedder} per embedding space, made when a space is first searched (or probed) and kept until
 * shutdown: its provider, model and dimension are the space's, the rest (API key, base URL, deadlines, cache size)
 * chat-service's configuration.
 *
 * <p>Kept by provider, model and dimension rather than by space id: a space retired and built again gets a new id
 * but the same vectors, and the local model must be loaded at most once per process (docs/design.md, "Constraints
 * measured, and what they forced"). The database allows one non-retired space per provider, model and dimension,
 * so no two live spaces share one.
 */
@ApplicationScoped
public class SpaceEmbedders {

    private final EmbeddingConfig config;
    private final Vertx vertx;
    private final QuestionEmbedder.Counters counters;
    private final Map<String, QuestionEmbedder> embedders = new ConcurrentHashMap<>();
    /** Spaces whose questions this process cannot embed, already logged: once each, not once per question. */
    private final Set<Integer> warned = ConcurrentHashMap.newKeySet();

    public SpaceEmbedders(EmbeddingConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.counters = QuestionEmbedder.Counters.register(registry);
    }

    /**
     * The space's embedder, made on first use. Throws IllegalArgumentException naming what this process lacks to
     * embed into it ({@link ProviderSelection#cannotEmbed}); nothing is kept then, so a later call tries again.
     */
    public QuestionEmbedder forSpace(StoredSpace space) {
        // A question's response is one vector: parsed where it arrives (the event loop), no thread hop.
        return embedders.computeIfAbsent(key(space), k -> new QuestionEmbedder(
                new EmbeddingEngine(config, ProviderSelection.forSpace(space, config), vertx, Runnable::run),
                config.question().cacheSize(), counters));
    }

    /** Why this process cannot embed into the space (no API key, a local model it does not run); empty if it can. */
    public Optional<String> cannotEmbed(StoredSpace space) {
        return ProviderSelection.cannotEmbed(space, config.apiKey().filter(k -> !k.isBlank()).isPresent());
    }

    /** The question's vector in the space; fails only with {@link EmbeddingUnavailableException}. */
    public Uni<float[]> embed(StoredSpace space, String question) {
        QuestionEmbedder embedder;
        try {
            embedder = forSpace(space);
        } catch (IllegalArgumentException e) {
            counters.unavailable().increment();
            if (warned.add(space.id())) {
                Log.warnf("cannot embed questions into space %d: %s; searching by full text only", space.id(),
                        e.getMessage());
            }
            return Uni.createFrom().failure(new EmbeddingUnavailableException(e.getMessage(), e));
        }
        return embedder.embed(question);
    }

    /** Loads the space's local model now, on its own worker pool (nothing for OpenAI); failures are logged only. */
    public void warmUp(StoredSpace space) {
        if (cannotEmbed(space).isPresent()) {
            return; // the readiness check says why; the first question logs it
        }
        forSpace(space).warmUp().subscribe().with(ok -> Log.debugf("question embedder of space %d ready", space.id()),
                e -> Log.warnf("could not load the local embedding model: %s", e.getMessage()));
    }

    @PreDestroy
    void close() {
        embedders.values().forEach(QuestionEmbedder::close);
        embedders.clear();
    }

    private static String key(StoredSpace space) {
        return space.provider() + " " + space.space();
    }
}
