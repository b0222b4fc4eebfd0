package org.coursebot.chat.search;

import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.search.SearchRepository.Candidate;

/** Question → vector → nearest sections (+ full-text, fused) → threshold → one hit per section. */
@ApplicationScoped
public class SearchService {

    private static final int CLOSEST = 3;

    private final QuestionEmbedder embedder;
    private final SearchRepository repository;
    private final SearchConfig config;
    private final RankFusion fusion;

    public SearchService(QuestionEmbedder embedder, SearchRepository repository, SearchConfig config) {
        this.embedder = embedder;
        this.repository = repository;
        this.config = config;
        this.fusion = new RankFusion(config.rrfK(), config.fullTextMargin());
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
        return embedder.embed(question)
                .chain(vector -> {
                    Uni<List<Candidate>> nearest = repository.nearest(vector, candidates, config.efSearch());
                    Uni<List<Candidate>> text = config.hybrid()
                            ? repository.fullText(config.textSearchConfig(), question, candidates, vector)
                            : Uni.createFrom().item(List.of());
                    return Uni.combine().all().unis(nearest, text).asTuple().map(both -> new SearchResult(
                            fusion.fuse(both.getItem1(), both.getItem2(), t, k),
                            RankFusion.mergeSections(both.getItem1(), CLOSEST), t, false));
                })
                .onFailure(EmbeddingUnavailableException.class).recoverWithUni(e -> {
                    Log.warnf("question embedding unavailable (%s): answering from full-text search", e.getMessage());
                    return repository.fullText(config.textSearchConfig(), question, candidates, null)
                            .map(text -> new SearchResult(fusion.fuse(List.of(), text, t, k), List.of(), t, true));
                });
    }
}
