package org.coursebot.chat.compare;

import java.util.List;

import org.coursebot.chat.search.SearchedSpace;

/** Two embedding spaces of this database searched with the same question set, side by side, with totals. */
public record SpaceComparisonReport(Totals totals, List<QuestionComparison> questions) {

    /** Totals over the question set; hit@1/hit@5/MRR only over questions with an expected url. */
    public record Totals(Side baseline, Side candidate, double jaccardAtK, int questions, int withExpectedUrl, int k) {
    }

    /**
     * One space's quality, searched at its model's default {@code threshold}; {@code degraded}: questions it could
     * not embed (searched by full text alone).
     */
    public record Side(SearchedSpace space, double threshold, double hit1, double hit5, double mrr, int degraded) {
    }

    /** One question: each space's top k and the overlap of their cited pages. */
    public record QuestionComparison(String question, String expectedUrl, List<RankedHit> baseline,
                                     List<RankedHit> candidate, double jaccard) {
    }
}
