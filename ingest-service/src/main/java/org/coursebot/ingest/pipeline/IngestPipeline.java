package org.coursebot.ingest.pipeline;

import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.crawl.Crawler;
import org.coursebot.ingest.crawl.ExercisePolicy;
import org.coursebot.ingest.crawl.KnownPage;
import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.exercises.CoursePolicies;
import org.coursebot.ingest.extract.ExerciseMarking;
import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.ingest.store.PageRepository;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.ingest.store.RunStatus;

/**
 * One run, top to bottom: crawl → diff each page ({@link PageDiff}) → group the changed pages ({@link PageBatcher}) →
 * embed a group's new chunks together into every space kept up to date ({@link GroupEmbedder}) → write each page in
 * its own transaction ({@link GroupWriter}, {@link PageWriter}) → remove the pages a complete crawl no longer found →
 * record the outcome ({@link RunRecorder}, {@link RunOutcome}). Under {@code coursebot.ingest.max-run-cost} a run goes
 * through the stages twice, as its own dry run first ({@link RunCostCeiling}).
 *
 * <p>Every stage pulls from the one before it, so no stage can fail for being faster or slower than another:
 * a slow embedder holds the crawl back once {@code 2 × page-group-size} changed pages wait (besides the group
 * being embedded and at most {@value #WRITES_IN_FLIGHT} being written), a slow site leaves the embedder idle. A page
 * that fails is recorded and left as it was; a crawl cut short deletes nothing; a run that fails records why, apart
 * from its pages' errors.
 *
 * <p>An embeddings API that cannot be reached or refuses the key ({@link EmbeddingFailure#unreachable()}) would
 * fail every page group after it the same way, each after its retries: the run stops at the first group it fails
 * (the crawl is cancelled, pages not yet written are left as they were, nothing is deleted) and fails with that
 * one reason, so the lock goes and the next run can start.
 */
@ApplicationScoped
public class IngestPipeline {

    private static final int WRITES_IN_FLIGHT = 2;

    private final Crawler crawler;
    private final PageRepository pages;
    private final SpaceTargets targets;
    private final PageDiff diff;
    private final GroupEmbedder embedder;
    private final GroupWriter groups;
    private final PageWriter writer;
    private final RunRecorder recorder;
    private final IngestConfig config;
    private final RunCostCeiling ceiling;
    private final CoursePolicies policies;

    public IngestPipeline(Crawler crawler, PageRepository pages, SpaceTargets targets, PageDiff diff,
            GroupEmbedder embedder, GroupWriter groups, PageWriter writer, RunRecorder recorder, IngestConfig config,
            RunCostCeiling ceiling, CoursePolicies policies) {
        this.ceiling = ceiling;
        this.policies = policies;
        this.crawler = crawler;
        this.pages = pages;
        this.targets = targets;
        this.diff = diff;
        this.embedder = embedder;
        this.groups = groups;
        this.writer = writer;
        this.recorder = recorder;
        this.config = config;
    }

    /**
     * Runs to the end and returns the final status: succeeded, failed or cancelled. A run that writes first publishes
     * the course's exercises policy ({@link CoursePolicies}: a failed write is logged, never the run's failure).
     */
    public Uni<RunStatus> run(long runId, String sourceName, Source source, boolean dryRun, RunProgress progress) {
        Uni<Void> policy = dryRun ? Uni.createFrom().voidItem() : policies.write(sourceName);
        return policy.chain(() -> DatabaseRetry.transientFailures(pages.load(sourceName)))
                .chain(stored -> targets.of(runId).map(spaces -> new RunState(runId, sourceName, dryRun, stored,
                        new PageChunker(settings(source)), progress, spaces)))
                .chain(run -> dryRun || !ceiling.guards(run.targets.stream().map(SpaceTarget::embedder).toList())
                        ? pass(run, source).chain(() -> recorder.finish(run))
                        : checkedRun(run, source))
                .onFailure().recoverWithUni(e -> recorder.failed(runId, sourceName, dryRun, progress, e));
    }

    /**
     * A run under {@code max-run-cost}: its own dry run first, which sends nothing and writes nothing; the run itself
     * only when that estimate is within the ceiling. The site is crawled twice (a page that did not change costs a
     * conditional request answered 304, each time): crawling once would mean holding every changed page until the crawl
     * ends, a whole course's chunks on a first ingest, where the pipeline bounds the pages in flight to fit its 128 MB
     * heap (docs/design.md). A site that changes between the two crawls makes the run's cost differ from the estimate.
     */
    private Uni<RunStatus> checkedRun(RunState run, Source source) {
        RunState check = run.costCheck();
        Log.infof("ingest run %d: a dry run first, its estimate checked against %s", run.id, ceiling.describe());
        return pass(check, source).chain(() -> {
            Optional<String> refusal = ceiling.refusal(check.progress);
            if (refusal.isPresent()) {
                Log.warnf("ingest run %d refused: %s", run.id, refusal.get());
                run.refusal = refusal.get();
                return recorder.finish(run);
            }
            if (run.progress.cancelled()) {
                return recorder.finish(run);
            }
            Log.infof("ingest run %d: its dry run estimates $%s, within the ceiling", run.id,
                    check.progress.cost().setScale(6, RoundingMode.HALF_UP).toPlainString());
            return pass(run, source).chain(() -> recorder.finish(run));
        });
    }

    /** The stages, crawl to removal of the pages gone, for the run or its cost check. */
    private Uni<Void> pass(RunState run, Source source) {
        Multi<PendingPage> changed = crawler.crawl(run.source, source, known(run.stored), run.crawl)
                .onItem().transformToUniAndConcatenate(page -> prepare(run, page)); // null items are skipped
        PageBatcher batcher = new PageBatcher(config.pageGroupSize(), 2 * config.pageGroupSize(),
                config.pageGroupWait(), Infrastructure.getDefaultWorkerPool());
        // The writes of one group overlap the embedding of the next (two groups at most past the embedder),
        // so the embedder does not idle while PostgreSQL inserts vectors into the HNSW index.
        return batcher.groups(changed)
                .onItem().transformToUniAndConcatenate(group -> embedder.embed(run, group))
                .onItem().transformToUni(embedded -> groups.write(run, embedded)
                        .call(() -> recorder.reportProgress(run, false))).merge(WRITES_IN_FLIGHT)
                .collect().last()
                .chain(() -> removeGone(run));
    }

    private ExtractionSettings settings(Source source) {
        ExtractionSettings defaults = ExtractionSettings.defaults();
        return new ExtractionSettings(source.partPattern().map(Pattern::compile).orElse(defaults.partPattern()),
                source.mainSelector().orElse(defaults.mainSelector()), config.chunkTokens(), config.overlapTokens(),
                exercises(source));
    }

    /** How the source marks its exercises; with policy guide, their solutions left out. */
    static ExerciseMarking exercises(Source source) {
        ExerciseMarking marking = ExerciseMarking.of(source.exerciseHeadings().orElse(null),
                source.exerciseSelector().orElse(null));
        return source.exercises() == ExercisePolicy.GUIDE
                ? marking.leavingOut(source.exerciseSolutions().orElse(null)) : marking;
    }

    private static Map<String, KnownPage> known(Map<String, StoredPage> stored) {
        Map<String, KnownPage> known = new HashMap<>();
        stored.values().forEach(p -> known.put(p.url(),
                new KnownPage(new PageValidators(p.etag(), p.lastModified()), p.links())));
        return known;
    }

    /** Routes one crawled page; yields its pending write when some of its chunks need writing, else null. */
    private Uni<PendingPage> prepare(RunState run, CrawledPage page) {
        if (run.progress.cancelled()) {
            run.crawl.cancel();
        }
        if (run.stoppedBy() != null) {
            return Uni.createFrom().nullItem(); // the crawl ends; pages still arriving are left as they were
        }
        run.progress.pagesDiscovered.set(run.crawl.discovered());
        Uni<PendingPage> prepared = switch (page.status()) {
            case NOT_MODIFIED -> {
                seen(run, page);
                yield writer.touch(run, page).replaceWith((PendingPage) null);
            }
            case GONE -> {
                run.progress.pagesSeen.incrementAndGet();
                yield writer.gone(run, page.url()).replaceWith((PendingPage) null);
            }
            case FAILED -> {
                run.seen.add(page.url());
                yield writer.fail(run, page.url(), page.error()).replaceWith((PendingPage) null);
            }
            case SKIPPED -> Uni.createFrom().nullItem();
            case FETCHED -> {
                seen(run, page);
                yield diff.diff(run, page).call(p -> p == null ? writer.touch(run, page) : Uni.createFrom().voidItem());
            }
        };
        return prepared
                .onFailure().recoverWithUni(e -> writer.fail(run, page.url(), "prepare: " + e.getMessage())
                        .replaceWith((PendingPage) null))
                .call(() -> recorder.reportProgress(run, false));
    }

    private static void seen(RunState run, CrawledPage page) {
        run.seen.add(page.url());
        run.progress.pagesSeen.incrementAndGet();
    }

    /** Pages the database has but a complete crawl no longer found. */
    private Uni<Void> removeGone(RunState run) {
        if (!run.crawl.complete() || run.progress.cancelled()) {
            Log.infof("ingest run %d: crawl incomplete (%s), no page is deleted", run.id,
                    run.progress.cancelled() ? "cancelled" : run.crawl.incompleteReason());
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(PageRepository.missing(run.stored, run.seen))
                .onItem().transformToUniAndConcatenate(url -> writer.gone(run, url))
                .collect().last().replaceWithVoid();
    }
}
