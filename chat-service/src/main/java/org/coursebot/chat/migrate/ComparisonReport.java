package org.coursebot.chat.migrate;

import org.coursebot.chat.compare.RankedHit;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The old system's and Coursebot's results for a question set, side by side, with totals. */
public record ComparisonReport(Totals totals, List<QuestionComparison> questions) {

    /** Totals over the question set; hit@1/hit@5/MRR only over questions with an expected url. */
    public record Totals(@JsonProperty("old") SystemTotals oldSystem, @JsonProperty("new") SystemTotals newSystem,
                         double jaccardAtK, int questions, int withExpectedUrl, int k) {
    }

    /**
     * One system's quality. {@code citationValidity}: the share of its distinct cited urls whose fragment
     * resolves in the page as fetched now, of {@code citedUrls}.
     */
    public record SystemTotals(double hit1, double hit5, double mrr, double citationValidity, int citedUrls,
                               int invalidCitations) {
    }

    /** One question: each system's top k and the overlap of their cited pages. */
    public record QuestionComparison(String question, String expectedUrl, @JsonProperty("old") List<RankedHit> oldHits,
                                     @JsonProperty("new") List<RankedHit> newHits, double jaccard) {
    }
}
