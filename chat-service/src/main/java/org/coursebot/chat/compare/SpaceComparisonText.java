package org.coursebot.chat.compare;

import java.util.Locale;

/** Two spaces' comparison as an operator reads it in a terminal: each side's figures in a column. */
public final class SpaceComparisonText {

    private SpaceComparisonText() {
    }

    public static String render(SpaceComparisonReport report) {
        SpaceComparisonReport.Totals t = report.totals();
        SpaceComparisonReport.Side b = t.baseline();
        SpaceComparisonReport.Side c = t.candidate();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Space %d vs space %d: %d questions (%d with an expected url), top %d%n%n",
                b.space().id(), c.space().id(), t.questions(), t.withExpectedUrl(), t.k()));
        out.append(String.format(Locale.ROOT, "%-20s %24s %24s%n", "", name(b), name(c)));
        out.append(String.format(Locale.ROOT, "%-20s %24.2f %24.2f%n", "threshold", b.threshold(), c.threshold()));
        out.append(String.format(Locale.ROOT, "%-20s %23.1f%% %23.1f%%%n", "hit@1", b.hit1() * 100, c.hit1() * 100));
        out.append(String.format(Locale.ROOT, "%-20s %23.1f%% %23.1f%%%n", "hit@5", b.hit5() * 100, c.hit5() * 100));
        out.append(String.format(Locale.ROOT, "%-20s %24.3f %24.3f%n", "MRR", b.mrr(), c.mrr()));
        out.append(String.format(Locale.ROOT, "%-20s %24d %24d%n", "degraded", b.degraded(), c.degraded()));
        out.append(String.format(Locale.ROOT, "%-20s %49.3f%n", "Jaccard@" + t.k() + " (pages)", t.jaccardAtK()));
        return out.toString();
    }

    private static String name(SpaceComparisonReport.Side side) {
        return side.space().id() + ": " + side.space().model();
    }
}
