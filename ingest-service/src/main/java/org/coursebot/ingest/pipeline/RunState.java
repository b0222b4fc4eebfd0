package org.coursebot.ingest.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.ingest.crawl.CrawlProgress;
import org.coursebot.ingest.embed.EmbeddingUsage;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.model.StoredSpace;

/** The state of one run, shared by the pipeline's stages: what it started from, what it has seen, its counts. */
final class RunState {

    final long id;
    final String source;
    final boolean dryRun;
    /** The dry run a run makes of itself first ({@link RunCostCeiling}): it writes nothing, not even its progress. */
    final boolean costCheck;
    final Map<String, StoredPage> stored;
    final PageChunker chunker;
    final RunProgress progress;
    /** The spaces this run keeps up to date, the active one first. */
    final List<SpaceTarget> targets;
    final CrawlProgress crawl = new CrawlProgress();
    final EmbeddingUsage usage = new EmbeddingUsage();
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final Set<String> goneHandled = ConcurrentHashMap.newKeySet();
    /** By space id, why the API of that space cannot be reached or refuses the key: nothing more is sent to it. */
    final Map<Integer, EmbeddingFailure> unreachable = new ConcurrentHashMap<>();
    /** Why the run was refused before it started ({@link RunCostCeiling}), or null. */
    volatile String refusal;
    volatile int lastReportedPages;
    volatile long lastReportNanos = System.nanoTime();

    RunState(long id, String source, boolean dryRun, Map<String, StoredPage> stored, PageChunker chunker,
            RunProgress progress, List<SpaceTarget> targets) {
        this(id, source, dryRun, false, stored, chunker, progress, targets);
    }

    private RunState(long id, String source, boolean dryRun, boolean costCheck, Map<String, StoredPage> stored,
            PageChunker chunker, RunProgress progress, List<SpaceTarget> targets) {
        this.targets = targets;
        this.id = id;
        this.source = source;
        this.dryRun = dryRun;
        this.costCheck = costCheck;
        this.stored = stored;
        this.chunker = chunker;
        this.progress = progress;
    }

    /**
     * This run as its own dry run, from the same stored pages to the same spaces, with counters of its own that stop
     * with the run's (an operator's cancel stops the check too).
     */
    RunState costCheck() {
        return new RunState(id, source, true, true, stored, chunker, progress.sharingCancel(), targets);
    }

    /** @param vectors the vectors written, in every space (a dry run writes none) */
    void countWritten(PendingPage p, int deleted, int vectors) {
        (p.isNew() ? progress.pagesNew : progress.pagesChanged).incrementAndGet();
        progress.chunksEmbedded.addAndGet(vectors);
        progress.chunksDeleted.addAndGet(deleted);
    }

    /** Why the active space's API cannot be reached, once it could not: the run stops there. */
    EmbeddingFailure stoppedBy() {
        return unreachable.get(targets.get(0).space().id());
    }

    List<StoredSpace> spaces() {
        return targets.stream().map(SpaceTarget::space).toList();
    }

    void syncUsage() {
        progress.embeddingRequests.set((int) usage.requests());
        progress.embeddingRetries.set((int) usage.retries());
        progress.tokens.set(usage.tokens());
        progress.setCost(usage.estimatedCostUsd());
    }
}
