package org.coursebot.chat.search;

import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.search.SearchRepository.Candidate;
import org.coursebot.chat.search.SearchRepository.QuestionTerm;
import org.coursebot.model.SearchHit;

/** Question → vector → nearest sections (+ full-text, fused) → threshold → one hit per section. */
@ApplicationScoped
public class SearchService {

    private static final int CLOSEST = 3;
    /** Chunks counted per question term: enough to tell absent from rare from common. */
    private static final int TERM_COUNT_CAP = 50;

    private final QuestionEmbedder embedder;
    private final SearchRepository repository;
    private final SearchConfig config;
    private final RankFusion fusion;
    private final CoverageDecision coverage;

    public SearchService(QuestionEmbedder embedder, SearchRepository repository, SearchConfig config) {
        this.embedder = embedder;
        this.repository = repository;
        this.config = config;
        this.fusion = new RankFusion(config.rrfK(), config.fullTextMargin());
        this.coverage = new CoverageDecision(config.coverage());
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
        int candidates = k * config.candidateFactor();
        Uni<List<QuestionTerm>> terms = repository.terms(config.textSearchConfig(), question,
                CoverageDecision.names(question), TERM_COUNT_CAP);
        return embedder.embed(question)
                .chain(vector -> {
                    Uni<List<Candidate>> nearest = repository.nearest(vector, candidates, config.efSearch());
                    Uni<List<Candidate>> text = config.hybrid()
                            ? repository.fullText(config.textSearchConfig(), question, candidates, vector)
                            : Uni.createFrom().item(List.of());
                    return Uni.combine().all().unis(nearest, text, terms).asTuple().map(all -> {
                        List<SearchHit> hits = fusion.fuse(all.getItem1(), all.getItem2(), t, k);
                        CoverageSignals signals = CoverageDecision.signals(question, all.getItem1(), all.getItem2(), all.getItem3());
                        return new SearchResult(hits, RankFusion.mergeSections(all.getItem1(), CLOSEST), t,
                                coverage.decide(signals, !hits.isEmpty(), t), false);
                    });
                })
                .onFailure(EmbeddingUnavailableException.class).recoverWithUni(e -> {
                    Log.warnf("question embedding unavailable (%s): answering from full-text search", e.getMessage());
                    Uni<List<Candidate>> text = repository.fullText(config.textSearchConfig(), question, candidates, null);
                    return Uni.combine().all().unis(text, terms).asTuple().map(both -> {
                        List<SearchHit> hits = fusion.fuse(List.of(), both.getItem1(), t, k);
                        CoverageSignals signals = CoverageDecision.signals(question, List.of(), both.getItem1(), both.getItem2());
                        return new SearchResult(hits, List.of(), t, coverage.decide(signals, !hits.isEmpty(), t), true);
                    });
                });
    }
}
