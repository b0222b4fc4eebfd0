package org.coursebot.ingest.pipeline;

import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.ingest.embed.EmbeddingPlan;
import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.ingest.embed.EmbeddingUsage;
import org.coursebot.ingest.store.SpaceRepository;
import org.coursebot.ingest.store.SpaceRepository.MissingChunk;
import org.coursebot.ingest.store.SpaceRepository.SpaceVector;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.ingest.store.RunStatus;
import org.coursebot.model.StoredSpace;

/**
 * A build run: embeds every current chunk that has no vector of its text in a space, a page of chunks at a time
 * (keyset over the primary key, so memory and each query stay the same size on any course), and marks a building
 * space ready once it covers every chunk. It runs under the ingest lock like a crawl, so no crawl changes chunks
 * meanwhile; a chunk already embedded into the space is never embedded again, so a cancelled or failed build
 * resumes where it stopped. A dry run reads the same chunks and counts the requests, tokens and cost it would spend;
 * under {@code coursebot.ingest.max-run-cost} a build makes that dry run first ({@link RunCostCeiling}).
 *
 * <p>Counts: {@code chunksEmbedded} are vectors written (or, in a dry run, to write); {@code pagesFailed} and
 * {@code errors} are chunks that could not be embedded.
 */
@ApplicationScoped
public class SpaceBuild {

    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final SpaceRepository spaces;
    private final RunRepository runs;
    private final EmbeddingService embedding;
    private final Pool pool;
    private final IngestConfig config;
    private final RunCostCeiling ceiling;

    public SpaceBuild(SpaceRepository spaces, RunRepository runs, EmbeddingService embedding, Pool pool,
            IngestConfig config, RunCostCeiling ceiling) {
        this.ceiling = ceiling;
        this.config = config;
        this.spaces = spaces;
        this.runs = runs;
        this.embedding = embedding;
        this.pool = pool;
    }

    /** Runs to the end and returns the final status: succeeded, failed or cancelled. */
    public Uni<RunStatus> run(long runId, StoredSpace space, boolean dryRun, RunProgress progress) {
        EmbeddingService embedder;
        try {
            embedder = embedding.forSpace(space);
        } catch (IllegalArgumentException e) {
            return finish(runId, progress, RunStatus.FAILED, "cannot embed into " + space + ": " + e.getMessage());
        }
        return DatabaseRetry.transientFailures(spaces.coverage(space)).chain(before -> {
            long total = before.chunks() - before.covered();
            Log.infof("space build run %d: %d of %d chunks to embed into %s%s", runId, total, before.chunks(), space,
                    dryRun ? " (dry run)" : "");
            // An API that cannot be reached or refuses the key or model fails every later step too: the build stops at
            // the first, not after one failed request a step.
            AtomicReference<EmbeddingFailure> refused = new AtomicReference<>();
            return costCheck(runId, space, embedder, dryRun, progress, total).chain(refusal -> refusal.isPresent()
                    ? finish(runId, progress, RunStatus.FAILED, refusal.get())
                    : steps(runId, space, embedder, dryRun, progress, total, refused, true)
                            .chain(() -> refused.get() == null ? outcome(runId, space, dryRun, progress)
                                    : finish(runId, progress, RunStatus.FAILED, stopReason(space, refused.get()))));
        }).onFailure().recoverWithUni(e -> finish(runId, progress, RunStatus.FAILED,
                "build failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    /**
     * Under {@code max-run-cost} ({@link RunCostCeiling}), the build's own dry run first, the same steps counted apart
     * and unrecorded: why the build is refused, or empty when it may go on.
     */
    private Uni<Optional<String>> costCheck(long runId, StoredSpace space, EmbeddingService embedder, boolean dryRun,
            RunProgress progress, long total) {
        if (dryRun || !ceiling.guards(List.of(embedder))) {
            return Uni.createFrom().item(Optional.empty());
        }
        RunProgress check = progress.sharingCancel();
        Log.infof("space build run %d: a dry run first, its estimate checked against %s", runId, ceiling.describe());
        return steps(runId, space, embedder, true, check, total, new AtomicReference<>(), false)
                .map(ignored -> ceiling.refusal(check));
    }

    /**
     * Every chunk missing from the space, a step at a time: embedded and written, or in a dry run counted; each step's
     * counts saved when {@code recorded}.
     */
    private Uni<Void> steps(long runId, StoredSpace space, EmbeddingService embedder, boolean dryRun,
            RunProgress progress, long total, AtomicReference<EmbeddingFailure> refused, boolean recorded) {
        EmbeddingUsage usage = new EmbeddingUsage();
        AtomicReference<UUID> after = new AtomicReference<>(BEFORE_ALL);
        AtomicLong lastLog = new AtomicLong(System.nanoTime());
        return Multi.createBy().repeating()
                // The keyset moves on when a step is read, not when it is done: a step read ahead never repeats one.
                .uni(() -> DatabaseRetry.transientFailures(spaces.missing(space, after.get(), config.buildStep()))
                        .invoke(step -> {
                            if (!step.isEmpty()) {
                                after.set(step.get(step.size() - 1).id());
                            }
                        }))
                .until(step -> step.isEmpty() || progress.cancelled() || refused.get() != null)
                .onItem().transformToUniAndConcatenate(step -> (dryRun ? preview(embedder, step, progress)
                        : embed(space, embedder, step, usage, progress, refused))
                        .call(() -> recorded ? report(runId, space, progress, total, lastLog) : Uni.createFrom().voidItem()))
                .collect().last()
                .replaceWithVoid();
    }

    private static String stopReason(StoredSpace space, EmbeddingFailure failure) {
        boolean refused = failure.status() > 0; // 401/403: an answer; else no answer at all
        return "the embedding API " + (refused ? "refused " : "could not be reached for ") + space.space() + " ("
                + failure.getMessage() + "): " + (refused ? "fix the key or the model" : "check the base URL and the network")
                + ", then build again";
    }

    private static Uni<Void> preview(EmbeddingService embedder, List<MissingChunk> step, RunProgress progress) {
        EmbeddingPlan plan = embedder.plan(step.stream().map(MissingChunk::embeddingText).toList());
        progress.embeddingRequests.addAndGet(plan.requests());
        progress.tokens.addAndGet(plan.tokens());
        progress.chunksEmbedded.addAndGet(step.size());
        progress.addCost(plan.estimatedCostUsd());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> embed(StoredSpace space, EmbeddingService embedder, List<MissingChunk> step, EmbeddingUsage usage,
            RunProgress progress, AtomicReference<EmbeddingFailure> refused) {
        return embedder.embedEach(step.stream().map(MissingChunk::embeddingText).toList(), usage).chain(result -> {
            result.unreachable().ifPresent(refused::set);
            List<SpaceVector> vectors = new java.util.ArrayList<>();
            for (int i = 0; i < step.size(); i++) {
                MissingChunk chunk = step.get(i);
                float[] vector = result.vectors().get(i);
                if (vector != null) {
                    vectors.add(new SpaceVector(chunk.id(), chunk.contentHash(), vector));
                } else {
                    progress.fail("chunk " + chunk.id(), "embedding: " + result.firstFailure());
                }
            }
            progress.embeddingRequests.set((int) usage.requests());
            progress.embeddingRetries.set((int) usage.retries());
            progress.tokens.set(usage.tokens());
            progress.setCost(usage.estimatedCostUsd());
            return DatabaseRetry.transientFailures(pool.withTransaction(tx -> spaces.upsertVectors(tx, space, vectors)))
                    .invoke(() -> progress.chunksEmbedded.addAndGet(vectors.size()));
        });
    }

    private Uni<Void> report(long runId, StoredSpace space, RunProgress progress, long total, AtomicLong lastLog) {
        long now = System.nanoTime();
        if (now - lastLog.get() > 10_000_000_000L) {
            lastLog.set(now);
            Log.infof("space build run %d: %d/%d chunks into %s, %d tokens, %d failed", runId,
                    progress.chunksEmbedded.get(), total, space, progress.tokens.get(), progress.pagesFailed.get());
        }
        return runs.progress(runId, progress.snapshot(), progress.cost(), progress.errors())
                .onFailure().invoke(e -> Log.warnf("space build run %d: progress not saved: %s", runId, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<RunStatus> outcome(long runId, StoredSpace space, boolean dryRun, RunProgress progress) {
        var counts = progress.snapshot();
        if (progress.cancelled()) {
            return finish(runId, progress, RunStatus.CANCELLED, progress.cancelReason() + " after " + counts.chunksEmbedded()
                    + " chunks; a new build resumes where this one stopped");
        }
        if (dryRun) {
            Log.infof("space build run %d (dry run): %d chunks, %d requests, %d tokens, $%s", runId,
                    counts.chunksEmbedded(), counts.embeddingRequests(), counts.tokens(),
                    progress.cost().setScale(6, RoundingMode.HALF_UP).toPlainString());
            return finish(runId, progress, RunStatus.SUCCEEDED, null);
        }
        return DatabaseRetry.transientFailures(spaces.coverage(space)).chain(after -> {
            if (after.covered() < after.chunks()) {
                return finish(runId, progress, RunStatus.FAILED, (after.chunks() - after.covered()) + " of " + after.chunks()
                        + " chunks still lack a vector in " + space + (progress.errors().isEmpty() ? ""
                        : " (first error: " + progress.errors().get(0).reason() + ")") + "; run the build again");
            }
            return DatabaseRetry.transientFailures(spaces.markReady(space.id()))
                    .invoke(ready -> Log.infof("space build run %d: %s covers all %d chunks%s", runId, space,
                            after.chunks(), ready ? " and is ready" : ""))
                    .chain(() -> finish(runId, progress, RunStatus.SUCCEEDED, null));
        });
    }

    private Uni<RunStatus> finish(long runId, RunProgress progress, RunStatus status, String reason) {
        if (reason != null) {
            Log.warnf("space build run %d %s: %s", runId, status, reason);
        }
        return DatabaseRetry.transientFailures(runs.progress(runId, progress.snapshot(), progress.cost(), progress.errors())
                        .chain(() -> runs.finish(runId, status, reason)))
                .onFailure().invoke(e -> Log.errorf("space build run %d: its outcome could not be recorded (%s)", runId,
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWith(status);
    }
}
