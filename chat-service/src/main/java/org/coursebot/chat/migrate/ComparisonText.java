package org.coursebot.chat.migrate;

import java.util.List;
import java.util.Locale;

import org.coursebot.chat.compare.RankedHit;
import org.coursebot.chat.migrate.ComparisonReport.QuestionComparison;
import org.coursebot.chat.migrate.ComparisonReport.SystemTotals;
import org.coursebot.chat.migrate.ComparisonReport.Totals;

/** The comparison as an operator reads it in a terminal: the totals table, then the worst disagreements. */
final class ComparisonText {

    static final int DISAGREEMENTS = 10;

    private ComparisonText() {
    }

    static String render(ComparisonReport report) {
        Totals t = report.totals();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Old vs new search: %d questions (%d with an expected url), top %d%n%n",
                t.questions(), t.withExpectedUrl(), t.k()));
        out.append(String.format(Locale.ROOT, "%-20s %10s %10s%n", "", "old", "new"));
        row(out, "hit@1", t.oldSystem().hit1(), t.newSystem().hit1());
        row(out, "hit@5", t.oldSystem().hit5(), t.newSystem().hit5());
        out.append(String.format(Locale.ROOT, "%-20s %10.3f %10.3f%n", "MRR", t.oldSystem().mrr(), t.newSystem().mrr()));
        row(out, "citation validity", t.oldSystem().citationValidity(), t.newSystem().citationValidity());
        out.append(String.format(Locale.ROOT, "%-20s %10s %10s%n", "invalid / cited urls", counts(t.oldSystem()),
                counts(t.newSystem())));
        out.append(String.format(Locale.ROOT, "%-20s %21.3f%n", "Jaccard@" + t.k() + " (pages)", t.jaccardAtK()));
        List<QuestionComparison> worst = ComparisonService.mostDisagreeing(report.questions(), DISAGREEMENTS);
        out.append(String.format(Locale.ROOT, "%nWhere they disagree most (lowest Jaccard first):%n"));
        for (QuestionComparison q : worst) {
            out.append(String.format(Locale.ROOT, "%n[Jaccard %.2f] %s%n", q.jaccard(), q.question()));
            if (q.expectedUrl() != null && !q.expectedUrl().isBlank()) {
                out.append("  expected: ").append(q.expectedUrl()).append('\n');
            }
            hits(out, "old", q.oldHits());
            hits(out, "new", q.newHits());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, double old, double now) {
        out.append(String.format(Locale.ROOT, "%-20s %9.1f%% %9.1f%%%n", name, old * 100, now * 100));
    }

    private static String counts(SystemTotals s) {
        return s.invalidCitations() + "/" + s.citedUrls();
    }

    private static void hits(StringBuilder out, String system, List<RankedHit> hits) {
        if (hits.isEmpty()) {
            out.append("  ").append(system).append(": (nothing)\n");
        }
        for (int i = 0; i < hits.size(); i++) {
            RankedHit h = hits.get(i);
            out.append(String.format(Locale.ROOT, "  %s %d. %s  %s%s%n", system, i + 1, h.url(), h.title(),
                    h.similarity() == null ? "" : String.format(Locale.ROOT, " (%.3f)", h.similarity())));
        }
    }
}
