package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.coursebot.chat.search.SearchRepository.Candidate;
import org.coursebot.model.SearchHit;

/**
 * Reciprocal rank fusion of the vector and full-text rankings, the similarity threshold, and one hit per
 * section (a long section's chunks are merged, not repeated). Pure: no I/O.
 */
public final class RankFusion {

    private final int rrfK;
    private final double fullTextMargin;

    public RankFusion(int rrfK, double fullTextMargin) {
        this.rrfK = rrfK;
        this.fullTextMargin = fullTextMargin;
    }

    /**
     * @param nearest vector candidates, best first
     * @param fullText full-text candidates, best first (similarity null when the question has no vector)
     */
    public List<SearchHit> fuse(List<Candidate> nearest, List<Candidate> fullText, double threshold, int k) {
        Map<UUID, Double> scores = new LinkedHashMap<>();
        Map<UUID, Candidate> byId = new LinkedHashMap<>();
        addRanking(nearest, c -> c.similarity() != null && c.similarity() >= threshold, scores, byId);
        addRanking(fullText, c -> c.similarity() == null || c.similarity() >= threshold - fullTextMargin, scores, byId);
        List<Candidate> ranked = new ArrayList<>(byId.values());
        ranked.sort(Comparator.comparingDouble((Candidate c) -> scores.get(c.id())).reversed());
        return mergeSections(ranked, k);
    }

    private void addRanking(List<Candidate> ranking, java.util.function.Predicate<Candidate> eligible,
                            Map<UUID, Double> scores, Map<UUID, Candidate> byId) {
        for (int rank = 0; rank < ranking.size(); rank++) {
            Candidate c = ranking.get(rank);
            if (eligible.test(c)) {
                scores.merge(c.id(), 1.0 / (rrfK + rank + 1), Double::sum);
                byId.putIfAbsent(c.id(), c);
            }
        }
    }

    /** Keeps the sections in the order of their best chunk; a section's chunks are joined in page order. */
    static List<SearchHit> mergeSections(List<Candidate> ranked, int k) {
        Map<String, List<Candidate>> sections = new LinkedHashMap<>();
        for (Candidate c : ranked) {
            sections.computeIfAbsent(c.sectionKey(), key -> new ArrayList<>()).add(c);
        }
        List<SearchHit> hits = new ArrayList<>();
        for (List<Candidate> parts : sections.values()) {
            if (hits.size() == k) {
                break;
            }
            Candidate best = parts.get(0);
            Double similarity = parts.stream().map(Candidate::similarity).filter(s -> s != null)
                    .max(Double::compare).orElse(null);
            String content = parts.size() == 1 ? best.content()
                    : String.join("\n\n", parts.stream().sorted(Comparator.comparingInt(Candidate::position))
                            .map(Candidate::content).toList());
            hits.add(new SearchHit(best.id(), best.title(), best.url(), content, best.contentType(),
                    best.partId(), best.moduleId(), similarity));
        }
        return hits;
    }
}
