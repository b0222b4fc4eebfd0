package org.coursebot.ingest.pipeline;

import java.math.RoundingMode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.ingest.store.RunStatus;

/**
 * Writes what a crawl run has done to its {@code ingest_run} row as it goes (its progress, every so many pages or
 * seconds) and once at its end (its outcome, {@link RunOutcome}), and refreshes the course vocabulary after a run
 * that changed chunks.
 */
@ApplicationScoped
public class RunRecorder {

    private final RunRepository runs;
    private final ChunkRepository chunks;
    private final IngestConfig config;

    public RunRecorder(RunRepository runs, ChunkRepository chunks, IngestConfig config) {
        this.runs = runs;
        this.chunks = chunks;
        this.config = config;
    }

    /**
     * Saves the run's counts when {@code progress-every-pages} pages or {@code progress-interval} passed since the last
     * time, or at once when {@code force}d: the run's last report, which waits out a database that is away for a
     * moment. A report that cannot be saved is logged, never the run's failure. A cost check reports nothing: its
     * counts are not the run's.
     */
    Uni<Void> reportProgress(RunState run, boolean force) {
        if (run.costCheck) {
            return Uni.createFrom().voidItem();
        }
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

    /** A run that went to its end: logs its summary, refreshes the vocabulary, saves its last counts and its outcome. */
    Uni<RunStatus> finish(RunState run) {
        var counts = run.progress.snapshot();
        RunOutcome outcome = RunOutcome.of(run, counts);
        Log.infof("ingest run %d %s: %d pages seen (%d new, %d changed, %d unchanged, %d gone, %d failed),"
                        + " %d chunks embedded, %d deleted, %d embedding requests, %d retries, %d tokens, $%s",
                run.id, outcome.status(), counts.pagesSeen(), counts.pagesNew(), counts.pagesChanged(),
                counts.pagesUnchanged(), counts.pagesGone(), counts.pagesFailed(), counts.chunksEmbedded(),
                counts.chunksDeleted(), counts.embeddingRequests(), run.usage.retries(), counts.tokens(),
                run.progress.cost().setScale(6, RoundingMode.HALF_UP).toPlainString());
        return refreshVocabulary(run.id, run.source, run.dryRun, run.progress)
                .chain(() -> reportProgress(run, true))
                .chain(() -> DatabaseRetry.transientFailures(runs.finish(run.id, outcome.status(), outcome.reason())))
                .replaceWith(outcome.status());
    }

    /**
     * The run itself failed ({@link RunOutcome#failed}): its counts, errors and reason are written, the reason apart
     * from the pages' errors.
     */
    Uni<RunStatus> failed(long runId, String source, boolean dryRun, RunProgress progress, Throwable e) {
        String reason = RunOutcome.failed(e).reason();
        Log.errorf(e, "ingest run %d failed: %s", runId, reason);
        // The failure first: when the database is what failed, the refresh would only wait for it in vain.
        return DatabaseRetry.transientFailures(runs.progress(runId, progress.snapshot(), progress.cost(), progress.errors())
                        .chain(() -> runs.finish(runId, RunStatus.FAILED, reason)))
                .onFailure().invoke(w -> Log.errorf("ingest run %d: its failure could not be recorded (%s); the next"
                        + " run marks it failed", runId, w.getMessage()))
                .onFailure().recoverWithNull()
                .chain(() -> refreshVocabulary(runId, source, dryRun, progress))
                .replaceWith(RunStatus.FAILED);
    }

    /**
     * After a run that wrote or deleted chunks, whatever its outcome: chat-service's coverage decision reads the
     * course's words from the vocabulary. Only the run's course is recounted. A failure to refresh is logged, not the
     * run's failure: the next run of the course that writes refreshes it.
     */
    private Uni<Void> refreshVocabulary(long runId, String source, boolean dryRun, RunProgress progress) {
        var counts = progress.snapshot();
        if (dryRun || counts.chunksEmbedded() + counts.chunksDeleted() == 0) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        return DatabaseRetry.transientFailures(chunks.refreshVocabulary(source))
                .invoke(() -> Log.debugf("ingest run %d: the vocabulary of %s recounted in %d ms", (Object) runId, source,
                        (System.nanoTime() - started) / 1_000_000))
                .onFailure().invoke(e -> Log.warnf("ingest run %d: the course vocabulary could not be refreshed (%s);"
                        + " coverage decisions use the previous one until the next run that writes", runId, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
