package org.coursebot.ingest.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.coursebot.ingest.crawl.CrawlProgress;
import org.coursebot.ingest.embed.EmbeddingUsage;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.ingest.store.PageRepository.StoredPage;

/** The state of one run, shared by the pipeline's stages: what it started from, what it has seen, its counts. */
final class RunState {

    final long id;
    final String source;
    final boolean dryRun;
    final Map<String, StoredPage> stored;
    final PageChunker chunker;
    final RunProgress progress;
    final CrawlProgress crawl = new CrawlProgress();
    final EmbeddingUsage usage = new EmbeddingUsage();
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final Set<String> goneHandled = ConcurrentHashMap.newKeySet();
    volatile int lastReportedPages;
    volatile long lastReportNanos = System.nanoTime();

    RunState(long id, String source, boolean dryRun, Map<String, StoredPage> stored, PageChunker chunker,
            RunProgress progress) {
        this.id = id;
        this.source = source;
        this.dryRun = dryRun;
        this.stored = stored;
        this.chunker = chunker;
        this.progress = progress;
    }

    void countWritten(PendingPage p, int deleted) {
        (p.isNew() ? progress.pagesNew : progress.pagesChanged).incrementAndGet();
        if (!dryRun) {
            progress.chunksEmbedded.addAndGet(p.toEmbed().size());
        }
        progress.chunksDeleted.addAndGet(deleted);
    }

    void syncUsage() {
        progress.embeddingRequests.set((int) usage.requests());
        progress.embeddingRetries.set((int) usage.retries());
        progress.tokens.set(usage.tokens());
        progress.setCost(usage.estimatedCostUsd());
    }
}
