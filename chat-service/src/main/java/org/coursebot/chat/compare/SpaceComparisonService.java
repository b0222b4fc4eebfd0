package org.coursebot.chat.compare;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.compare.SpaceComparisonReport.QuestionComparison;
import org.coursebot.chat.compare.SpaceComparisonReport.Side;
import org.coursebot.chat.compare.SpaceComparisonReport.Totals;
import org.coursebot.chat.search.SearchResult;
import org.coursebot.chat.search.SearchService;
import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.chat.space.SearchableSpaces;
import org.coursebot.common.FieldErrors;
import org.coursebot.model.StoredSpace;

/**
 * Runs a question set through two embedding spaces of this database — {@link SearchService} on each, the code
 * path of {@code GET /api/search}, each space at its model's default threshold — and scores both: before a new
 * space is activated, whether it finds the expected sections as well as the active one.
 */
@ApplicationScoped
public class SpaceComparisonService {

    private final SearchableSpaces spaces;
    private final SearchService search;

    public SpaceComparisonService(SearchableSpaces spaces, SearchService search) {
        this.spaces = spaces;
        this.search = search;
    }

    /** Fails with one 400 problem naming {@code spaces.baseline} and/or {@code spaces.candidate} when unusable. */
    public Uni<SpaceComparisonReport> compare(List<CompareQuestion> questions, int k, int baselineId, int candidateId) {
        return spaces.check(baselineId).chain(baseline -> spaces.check(candidateId).map(candidate -> {
            FieldErrors errors = new FieldErrors();
            baseline.problem().ifPresent(p -> errors.require(false, "spaces.baseline", p));
            candidate.problem().ifPresent(p -> errors.require(false, "spaces.candidate", p));
            errors.throwIfAny();
            return List.of(baseline.space(), candidate.space());
        })).chain(pair -> run(questions, k, pair.get(0), pair.get(1)));
    }

    private Uni<SpaceComparisonReport> run(List<CompareQuestion> questions, int k, StoredSpace baseline,
                                           StoredSpace candidate) {
        Log.infof("space comparison started: %d questions, k=%d, space %d vs space %d", questions.size(), k,
                baseline.id(), candidate.id());
        AtomicInteger degraded1 = new AtomicInteger();
        AtomicInteger degraded2 = new AtomicInteger();
        return Multi.createFrom().iterable(questions)
                .onItem().transformToUniAndConcatenate(q -> top(baseline, q, k, degraded1)
                        .chain(b -> top(candidate, q, k, degraded2).map(c ->
                                new QuestionComparison(q.question(), q.expectedUrl(), b, c, RankMetrics.jaccard(b, c)))))
                .collect().asList()
                .map(rows -> {
                    double jaccard = rows.stream().mapToDouble(QuestionComparison::jaccard).average().orElse(1.0);
                    int expected = (int) rows.stream().filter(r -> r.expectedUrl() != null).count();
                    Totals totals = new Totals(side(baseline, rows, QuestionComparison::baseline, degraded1.get()),
                            side(candidate, rows, QuestionComparison::candidate, degraded2.get()), jaccard, rows.size(),
                            expected, k);
                    return new SpaceComparisonReport(totals, rows);
                })
                .invoke(r -> Log.infof("space comparison finished: MRR space %d %.3f, space %d %.3f, Jaccard@%d %.3f",
                        baseline.id(), r.totals().baseline().mrr(), candidate.id(), r.totals().candidate().mrr(), k,
                        r.totals().jaccardAtK()));
    }

    private Uni<List<RankedHit>> top(StoredSpace space, CompareQuestion q, int k, AtomicInteger degraded) {
        return search.search(space, q.question(), k, null, null).invoke(result -> {
            if (result.degraded()) {
                degraded.incrementAndGet();
            }
        }).map(SpaceComparisonService::ranked);
    }

    private static List<RankedHit> ranked(SearchResult result) {
        return result.hits().stream().map(h -> new RankedHit(h.title(), h.url(), h.similarity())).toList();
    }

    private Side side(StoredSpace space, List<QuestionComparison> rows,
                      Function<QuestionComparison, List<RankedHit>> hits, int degraded) {
        RankMetrics.Quality quality = RankMetrics.quality(rows.stream().map(hits).toList(),
                rows.stream().map(QuestionComparison::expectedUrl).toList());
        return new Side(SearchedSpace.of(space), search.defaultThreshold(space), quality.hit1(), quality.hit5(),
                quality.mrr(), degraded);
    }
}
