package org.coursebot.chat.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.search.SearchRepository.SearchQuery;

/**
 * Question → vector → one statement (nearest sections + full-text, fused; the question's terms) → coverage. A
 * question whose vector is cached goes straight to the database; one that cannot be embedded is searched by full
 * text alone ({@code degraded}).
 */
@ApplicationScoped
public class SearchService {

    /** Nearest sections returned besides the hits (suggested when the course does not cover the question). */
    private static final int CLOSEST = 3;

    private final QuestionEmbedder embedder;
    private final SearchRepository repository;
    private final SearchConfig config;
    private final CoverageDecision coverage;
    private final Timer embedding;
    private final Timer statement;

    public SearchService(QuestionEmbedder embedder, SearchRepository repository, SearchConfig config,
                         MeterRegistry registry) {
        this.embedder = embedder;
        this.repository = repository;
        this.config = config;
        this.coverage = new CoverageDecision(config.coverage());
        // Where a search's time goes (search-bench --profile reads them): the rest of a request is the service's own.
        this.embedding = phase(registry, "embedding", "the question's vector (a cache hit costs ~0)");
        this.statement = phase(registry, "statement", "the search statement: its parameters, the round trip, its rows");
    }

    private static Timer phase(MeterRegistry registry, String phase, String description) {
        return Timer.builder("coursebot.search.phase").tag("phase", phase).description(description).register(registry);
    }

    /** The threshold for the configured embedding model, calibrated per model (see SearchConfig). */
    public double defaultThreshold() {
        return config.thresholds().getOrDefault(embedder.space().model(), config.defaultThreshold());
    }

    /**
     * @param threshold null for the model's default
     */
    public Uni<SearchResult> search(String question, int k, Double threshold) {
        double t = threshold == null ? defaultThreshold() : threshold;
        Timer.Sample embedded = Timer.start();
        return embedder.embed(question)
                .onFailure(EmbeddingUnavailableException.class).recoverWithNull() // the embedder logged why
                .invoke(() -> embedded.stop(embedding))
                .chain(vector -> {
                    Timer.Sample searched = Timer.start();
                    SearchQuery query = new SearchQuery(vector, config.textSearchConfig(), question,
                            k * config.candidateFactor(), t, config.fullTextMargin(), config.rrfK(), k, config.hybrid(),
                            CoverageDecision.names(question), CLOSEST);
                    return repository.search(query).invoke(() -> searched.stop(statement)).map(found -> {
                        CoverageSignals signals = CoverageDecision.signals(found.closest(), found.textAgrees(), found.terms());
                        return new SearchResult(found.hits(), found.closest(), t,
                                coverage.decide(signals, !found.hits().isEmpty(), t), vector == null);
                    });
                });
    }
}
