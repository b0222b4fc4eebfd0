package org.coursebot.chat.migrate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.compare.CompareQuestion;
import org.coursebot.chat.compare.RankedHit;
import org.coursebot.chat.compare.RankMetrics;
import org.coursebot.chat.migrate.ComparisonReport.QuestionComparison;
import org.coursebot.chat.migrate.ComparisonReport.SystemTotals;
import org.coursebot.chat.migrate.ComparisonReport.Totals;
import org.coursebot.chat.search.SearchService;

/**
 * Runs a question set through the old search ({@link LegacyRepository}) and the new one — {@link SearchService},
 * the code path of {@code GET /api/search}, with threshold 0 so both return their top k — and scores both.
 */
@ApplicationScoped
public class ComparisonService {

    private static final int PROGRESS_EVERY = 25;
    private static final int PAGE_FETCHES = 4;

    private final LegacyRepository legacy;
    private final SearchService search;
    private final Vertx vertx;

    public ComparisonService(LegacyRepository legacy, SearchService search, Vertx vertx) {
        this.legacy = legacy;
        this.search = search;
        this.vertx = vertx;
    }

    /** Whether the old database is configured (LEGACY_DATABASE_URL), so that there is an old system to compare. */
    public boolean legacyConfigured() {
        return legacy.configured();
    }

    /** Both systems' top k for every question, then the totals; questions run one after another. */
    public Uni<ComparisonReport> compare(List<CompareQuestion> questions, int k) {
        AtomicInteger done = new AtomicInteger();
        Log.infof("comparison started: %d questions, k=%d", questions.size(), k);
        return Multi.createFrom().iterable(questions)
                .onItem().transformToUniAndConcatenate(q -> compareOne(q, k).invoke(() -> progress(done, questions.size())))
                .collect().asList()
                .chain(rows -> totals(rows, k).map(totals -> new ComparisonReport(totals, rows)))
                .invoke(r -> Log.infof("comparison finished: %d questions, Jaccard@%d %.3f, citation validity old %.3f new %.3f",
                        r.totals().questions(), k, r.totals().jaccardAtK(), r.totals().oldSystem().citationValidity(),
                        r.totals().newSystem().citationValidity()));
    }

    private Uni<QuestionComparison> compareOne(CompareQuestion q, int k) {
        Uni<List<RankedHit>> old = legacy.topK(q.question(), k);
        Uni<List<RankedHit>> now = search.search(q.question(), k, 0.0, null).map(result -> result.hits().stream()
                .map(h -> new RankedHit(h.title(), h.url(), h.similarity())).toList());
        return old.chain(o -> now.map(n -> new QuestionComparison(q.question(), q.expectedUrl(), o, n,
                RankMetrics.jaccard(o, n))));
    }

    private static void progress(AtomicInteger done, int total) {
        int n = done.incrementAndGet();
        if (n % PROGRESS_EVERY == 0 || n == total) {
            Log.infof("comparison: %d/%d questions", n, total);
        }
    }

    private Uni<Totals> totals(List<QuestionComparison> rows, int k) {
        CitationValidator validator = new CitationValidator(vertx);
        Uni<SystemTotals> old = system(rows, QuestionComparison::oldHits, validator);
        Uni<SystemTotals> now = system(rows, QuestionComparison::newHits, validator);
        double jaccard = rows.stream().mapToDouble(QuestionComparison::jaccard).average().orElse(1.0);
        int expected = (int) rows.stream().filter(r -> hasExpected(r)).count();
        return old.chain(o -> now.map(n -> new Totals(o, n, jaccard, rows.size(), expected, k)))
                .eventually(validator::close);
    }

    private static Uni<SystemTotals> system(List<QuestionComparison> rows, Function<QuestionComparison,
            List<RankedHit>> hits, CitationValidator validator) {
        Set<String> cited = new LinkedHashSet<>();
        rows.forEach(row -> hits.apply(row).forEach(h -> cited.add(h.url())));
        RankMetrics.Quality quality = RankMetrics.quality(rows.stream().map(hits).toList(),
                rows.stream().map(QuestionComparison::expectedUrl).toList());
        return validCount(cited, validator).map(valid -> new SystemTotals(quality.hit1(), quality.hit5(),
                quality.mrr(), cited.isEmpty() ? 1.0 : (double) valid / cited.size(), cited.size(),
                cited.size() - valid));
    }

    private static Uni<Integer> validCount(Set<String> urls, CitationValidator validator) {
        if (urls.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // A few pages at a time: the course site is someone's server.
        return Multi.createFrom().iterable(urls)
                .onItem().transformToUni(validator::resolves).merge(PAGE_FETCHES)
                .collect().asList()
                .map(results -> (int) results.stream().filter(Boolean::booleanValue).count());
    }

    private static boolean hasExpected(QuestionComparison row) {
        return row.expectedUrl() != null && !row.expectedUrl().isBlank();
    }

    /** For the log and the text report: which questions disagree most. */
    static List<QuestionComparison> mostDisagreeing(List<QuestionComparison> rows, int limit) {
        List<QuestionComparison> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingDouble(QuestionComparison::jaccard));
        return sorted.subList(0, Math.min(limit, sorted.size()));
    }
}
