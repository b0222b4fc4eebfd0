package org.coursebot.ingest.pipeline;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.crawl.Crawler;
import org.coursebot.ingest.crawl.KnownPage;
import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.embed.EmbeddedTexts;
import org.coursebot.ingest.embed.EmbeddingPlan;
import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.ingest.space.SpaceRepository;
import org.coursebot.ingest.space.SpaceRepository.SpaceVector;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.ChunkRepository.SpaceWrite;
import org.coursebot.ingest.store.PageRepository;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.ingest.store.RunStatus;
import org.coursebot.model.CourseChunk;
import org.coursebot.model.StoredSpace;

/**
 * One run, top to bottom: crawl → diff each page ({@link PageDiff}) → group the changed pages
 * ({@link PageBatcher}) → embed a group's new chunks together → write each page in its own transaction
 * ({@link PageWriter}) → remove the pages a complete crawl no longer found → record the outcome.
 *
 * <p>Every stage pulls from the one before it, so no stage can fail for being faster or slower than another:
 * a slow embedder holds the crawl back once {@code 2 × page-group-size} changed pages wait (besides the group
 * being embedded and at most {@value #WRITES_IN_FLIGHT} being written), a slow site leaves the embedder idle. A page that fails is recorded and left as it was; a crawl cut short deletes nothing; a run
 * that fails records why, apart from its pages' errors.
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
    private final RunRepository runs;
    private final EmbeddingService embedding;
    private final PageDiff diff;
    private final PageWriter writer;
    private final IngestConfig config;
    private final ChunkRepository chunks;
    private final SpaceRepository spaces;

    public IngestPipeline(Crawler crawler, PageRepository pages, RunRepository runs, EmbeddingService embedding,
            PageDiff diff, PageWriter writer, IngestConfig config, ChunkRepository chunks, SpaceRepository spaces) {
        this.chunks = chunks;
        this.spaces = spaces;
        this.crawler = crawler;
        this.pages = pages;
        this.runs = runs;
        this.embedding = embedding;
        this.diff = diff;
        this.writer = writer;
        this.config = config;
    }

    /** Runs to the end and returns the final status: succeeded, failed or cancelled. */
    public Uni<RunStatus> run(long runId, String sourceName, Source source, boolean dryRun, RunProgress progress) {
        return DatabaseRetry.transientFailures(pages.load(sourceName)).chain(stored -> targets(runId).map(targets ->
                new RunState(runId, sourceName, dryRun, stored, new PageChunker(settings(source)), progress, targets)))
                .chain(run -> {
            Multi<PendingPage> changed = crawler.crawl(sourceName, source, known(run.stored), run.crawl)
                    .onItem().transformToUniAndConcatenate(page -> prepare(run, page)); // null items are skipped
            PageBatcher batcher = new PageBatcher(config.pageGroupSize(), 2 * config.pageGroupSize(),
                    config.pageGroupWait(), Infrastructure.getDefaultWorkerPool());
            // The writes of one group overlap the embedding of the next (two groups at most past the embedder),
            // so the embedder does not idle while PostgreSQL inserts vectors into the HNSW index.
            return batcher.groups(changed)
                    .onItem().transformToUniAndConcatenate(group -> embed(run, group))
                    .onItem().transformToUni(embedded -> write(run, embedded)).merge(WRITES_IN_FLIGHT)
                    .collect().last()
                    .chain(() -> removeGone(run))
                    .chain(() -> finish(run));
                }).onFailure().recoverWithUni(e -> failed(runId, dryRun, progress, e));
    }

    /**
     * Every space that is not retired, each with the embedder of its model: a regular run keeps them all up to date,
     * so activating one never serves stale content. A space this process cannot embed into is left out (logged; its
     * coverage falls), unless it is the active one: then the run fails, saying what is missing.
     */
    private Uni<List<SpaceTarget>> targets(long runId) {
        return DatabaseRetry.transientFailures(spaces.live()).map(rows -> {
            List<SpaceTarget> targets = new ArrayList<>();
            for (var row : rows) {
                StoredSpace space = row.space();
                try {
                    targets.add(new SpaceTarget(space, embedding.forSpace(space)));
                } catch (IllegalArgumentException e) {
                    if (StoredSpace.ACTIVE.equals(space.status())) {
                        throw new IllegalStateException("cannot embed into the active " + space + ": " + e.getMessage());
                    }
                    Log.warnf("ingest run %d: %s is not kept up to date: %s", runId, space, e.getMessage());
                }
            }
            if (targets.isEmpty() || !targets.get(0).active()) {
                throw new IllegalStateException("the database has no active embedding space (embedding_space)");
            }
            return targets;
        });
    }

    private ExtractionSettings settings(Source source) {
        ExtractionSettings defaults = ExtractionSettings.defaults();
        return new ExtractionSettings(source.partPattern().map(Pattern::compile).orElse(defaults.partPattern()),
                source.mainSelector().orElse(defaults.mainSelector()), config.chunkTokens(), config.overlapTokens());
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
                .call(() -> reportProgress(run, false));
    }

    private static void seen(RunState run, CrawledPage page) {
        run.seen.add(page.url());
        run.progress.pagesSeen.incrementAndGet();
    }

    /**
     * Embeds a group of pages' new chunks together (requests fill up across small pages), space after space; a failed
     * batch leaves only the texts it carried without vectors. A dry run embeds nothing and counts what it would send.
     */
    private Uni<EmbeddedGroup> embed(RunState run, List<PendingPage> group) {
        if (run.dryRun) {
            run.targets.forEach(target -> preview(run, target, texts(group, target)));
            group.forEach(p -> run.countWritten(p, 0, 0));
            return Uni.createFrom().item(new EmbeddedGroup(List.of(), Map.of()));
        }
        Map<Integer, EmbeddedTexts> results = new HashMap<>();
        return Multi.createFrom().iterable(run.targets)
                .onItem().transformToUniAndConcatenate(target -> embedInto(run, target, texts(group, target))
                        .invoke(result -> results.put(target.space().id(), result)))
                .collect().last()
                .invoke(run::syncUsage)
                // After the stop, the group's pages are not written, nor counted as failed: they stay as they were.
                .map(ignored -> run.stoppedBy() != null ? new EmbeddedGroup(List.of(), Map.of()) : new EmbeddedGroup(group, results));
    }

    /** One space's texts of a group; nothing is sent once the run stopped or that space's API proved unreachable. */
    private static Uni<EmbeddedTexts> embedInto(RunState run, SpaceTarget target, List<String> texts) {
        EmbeddingFailure unreachable = run.stoppedBy() != null ? run.stoppedBy() : run.unreachable.get(target.space().id());
        if (texts.isEmpty() || unreachable != null) {
            return Uni.createFrom().item(unreachable == null ? new EmbeddedTexts(List.of(), List.of())
                    : EmbeddedTexts.allFailed(texts.size(), unreachable));
        }
        return target.embedder().embedEach(texts, run.usage)
                .invoke(result -> result.unreachable().ifPresent(failure -> unreachable(run, target, failure)));
    }

    /**
     * The API of {@code target}'s space cannot be reached or refuses the key. The active space's stops the run; another
     * space's is left out for the rest of the run (its chunks of the pages written lose their stale vectors: a build
     * fills them), where each later group would otherwise spend a request and its retries on it.
     */
    private static void unreachable(RunState run, SpaceTarget target, EmbeddingFailure failure) {
        if (run.unreachable.putIfAbsent(target.space().id(), failure) != null) {
            return;
        }
        if (target.active()) {
            Log.warnf("ingest run %d stops: %s", run.id, failure.getMessage());
            run.crawl.cancel();
        } else {
            Log.warnf("ingest run %d: %s is not kept up to date for the rest of the run: %s", run.id, target.space(),
                    failure.getMessage());
        }
    }

    private static List<String> texts(List<PendingPage> group, SpaceTarget target) {
        return group.stream().flatMap(p -> p.toEmbed(target.space().id()).stream()).map(CourseChunk::embeddingText).toList();
    }

    /**
     * Writes each page of the group whose vectors in the active space all came back; the others fail alone and stay
     * as they were. In another space, a chunk whose vector did not come back loses its stale one (see SpaceTarget).
     */
    private Uni<Void> write(RunState run, EmbeddedGroup embedded) {
        List<Uni<Void>> writes = new ArrayList<>();
        Map<Integer, Integer> next = new HashMap<>();
        for (PendingPage p : embedded.pages()) {
            List<SpaceWrite> spaceWrites = new ArrayList<>();
            String activeFailure = null;
            for (SpaceTarget target : run.targets) {
                int space = target.space().id();
                EmbeddedTexts result = embedded.results().get(space);
                List<SpaceVector> vectors = new ArrayList<>();
                List<UUID> stale = new ArrayList<>();
                int at = next.getOrDefault(space, 0);
                for (CourseChunk c : p.toEmbed(space)) {
                    float[] vector = result.vectors().get(at++);
                    if (vector != null) {
                        vectors.add(new SpaceVector(c.id(), c.contentHash(), vector));
                    } else {
                        stale.add(c.id());
                    }
                }
                next.put(space, at);
                if (!stale.isEmpty() && target.active()) {
                    activeFailure = failureOf(result);
                } else if (!stale.isEmpty()) {
                    Log.warnf("ingest run %d: page %s: %d chunk(s) without a vector in %s (%s); a build fills them",
                            run.id, p.url(), stale.size(), target.space(), failureOf(result));
                }
                spaceWrites.add(new SpaceWrite(target.space(), vectors, stale));
            }
            writes.add(activeFailure == null ? writer.write(run, p, spaceWrites)
                    : writer.fail(run, p.url(), "embedding: " + activeFailure));
        }
        return Multi.createFrom().iterable(writes).onItem().transformToUniAndConcatenate(w -> w)
                .collect().last().replaceWithVoid()
                .call(() -> reportProgress(run, false));
    }

    /** A group's pages with each space's vectors, in the order of their chunks to embed there. */
    private record EmbeddedGroup(List<PendingPage> pages, Map<Integer, EmbeddedTexts> results) {
    }

    /** A dry run plans the very groups a real run would embed, so its request count is the real one. */
    private static void preview(RunState run, SpaceTarget target, List<String> texts) {
        EmbeddingPlan plan = target.embedder().plan(texts);
        run.progress.embeddingRequests.addAndGet(texts.isEmpty() ? 0 : plan.requests());
        run.progress.tokens.addAndGet(plan.tokens());
        run.progress.chunksEmbedded.addAndGet(texts.size());
        run.progress.addCost(plan.estimatedCostUsd());
    }

    private static String failureOf(EmbeddedTexts result) {
        return result.failures().isEmpty() ? "no vector" : result.failures().get(0).failure().getMessage();
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

    private Uni<RunStatus> finish(RunState run) {
        var counts = run.progress.snapshot();
        RunStatus status;
        String reason = null;
        if (run.stoppedBy() != null) {
            status = RunStatus.FAILED;
            reason = run.stoppedBy().getMessage() + "; the run stopped there, " + (counts.pagesNew() + counts.pagesChanged())
                    + " pages written before it, the others left as they were";
        } else if (run.progress.cancelled()) {
            status = RunStatus.CANCELLED;
            reason = run.progress.cancelReason() + " after " + counts.pagesSeen() + " pages";
        } else if (counts.pagesSeen() == 0 && run.crawl.incompleteReason() != null) {
            // The site was unreachable (or every page failed before a link was read): nothing was looked at.
            status = RunStatus.FAILED;
            reason = "nothing crawled: " + run.crawl.incompleteReason();
        } else if (counts.pagesFailed() > 0 && counts.pagesNew() + counts.pagesChanged() + counts.pagesGone() == 0) {
            // Nothing the run had to do got done (a bad key fails every embedding, say): the run failed.
            status = RunStatus.FAILED;
            reason = "every page that needed writing failed (" + counts.pagesFailed() + "; first error: "
                    + run.progress.errors().get(0).reason() + ")";
        } else {
            status = RunStatus.SUCCEEDED;
        }
        Log.infof("ingest run %d %s: %d pages seen (%d new, %d changed, %d unchanged, %d gone, %d failed),"
                        + " %d chunks embedded, %d deleted, %d embedding requests, %d retries, %d tokens, $%s",
                run.id, status, counts.pagesSeen(), counts.pagesNew(), counts.pagesChanged(), counts.pagesUnchanged(),
                counts.pagesGone(), counts.pagesFailed(), counts.chunksEmbedded(), counts.chunksDeleted(),
                counts.embeddingRequests(), run.usage.retries(), counts.tokens(),
                run.progress.cost().setScale(6, RoundingMode.HALF_UP).toPlainString());
        String outcome = reason;
        return refreshVocabulary(run.id, run.dryRun, run.progress)
                .chain(() -> reportProgress(run, true))
                .chain(() -> DatabaseRetry.transientFailures(runs.finish(run.id, status, outcome)))
                .replaceWith(status);
    }

    /**
     * After a run that wrote or deleted chunks, whatever its outcome: chat-service's coverage decision reads the
     * course's words from the vocabulary. A failure to refresh is logged, not the run's failure: the next run that
     * writes refreshes it.
     */
    private Uni<Void> refreshVocabulary(long runId, boolean dryRun, RunProgress progress) {
        var counts = progress.snapshot();
        if (dryRun || counts.chunksEmbedded() + counts.chunksDeleted() == 0) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        return DatabaseRetry.transientFailures(chunks.refreshVocabulary())
                .invoke(() -> Log.debugf("ingest run %d: course vocabulary refreshed in %d ms", runId,
                        (System.nanoTime() - started) / 1_000_000))
                .onFailure().invoke(e -> Log.warnf("ingest run %d: the course vocabulary could not be refreshed (%s);"
                        + " coverage decisions use the previous one until the next run that writes", runId, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * The run itself failed (not a page: the database was gone for longer than retries wait, or a bug): its
     * counts, errors and reason are written, the reason apart from the pages' errors.
     */
    private Uni<RunStatus> failed(long runId, boolean dryRun, RunProgress progress, Throwable e) {
        String reason = "run failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        Log.errorf(e, "ingest run %d failed: %s", runId, reason);
        // The failure first: when the database is what failed, the refresh would only wait for it in vain.
        return DatabaseRetry.transientFailures(runs.progress(runId, progress.snapshot(), progress.cost(), progress.errors())
                        .chain(() -> runs.finish(runId, RunStatus.FAILED, reason)))
                .onFailure().invoke(w -> Log.errorf("ingest run %d: its failure could not be recorded (%s); the next"
                        + " run marks it failed", runId, w.getMessage()))
                .onFailure().recoverWithNull()
                .chain(() -> refreshVocabulary(runId, dryRun, progress))
                .replaceWith(RunStatus.FAILED);
    }

    private Uni<Void> reportProgress(RunState run, boolean force) {
        long now = System.nanoTime();
        int done = run.progress.pagesSeen.get();
        boolean due = done - run.lastReportedPages >= config.progressEveryPages()
                || now - run.lastReportNanos >= config.progressInterval().toNanos();
        if (!force && !due) {
            return Uni.createFrom().voidItem();
        }
        run.lastReportedPages = done;
        run.lastReportNanos = now;
        var c = run.progress.snapshot();
        if (!force) {
            Log.infof("ingest run %d: %d/%d pages, %d chunks embedded, %d tokens, %d retries, %d errors", run.id,
                    c.pagesSeen(), Math.max(c.pagesDiscovered(), c.pagesSeen()), c.chunksEmbedded(), c.tokens(),
                    run.usage.retries(), c.pagesFailed());
        }
        Uni<Void> write = runs.progress(run.id, c, run.progress.cost(), run.progress.errors());
        return (force ? DatabaseRetry.transientFailures(write) : write)
                .onFailure().invoke(e -> Log.warnf("ingest run %d: progress not saved: %s", run.id, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
