package org.coursebot.ingest.pipeline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.coursebot.ingest.store.IngestRun.RunError;
import org.coursebot.ingest.store.RunCounts;
import org.coursebot.ingest.store.RunRepository;

/** The live counters of one run; read by the admin API while it runs, written to ingest_run as it goes. */
public final class RunProgress {

    final AtomicInteger pagesDiscovered = new AtomicInteger();
    final AtomicInteger pagesSeen = new AtomicInteger();
    final AtomicInteger pagesUnchanged = new AtomicInteger();
    final AtomicInteger pagesChanged = new AtomicInteger();
    final AtomicInteger pagesNew = new AtomicInteger();
    final AtomicInteger pagesGone = new AtomicInteger();
    final AtomicInteger pagesFailed = new AtomicInteger();
    final AtomicInteger chunksEmbedded = new AtomicInteger();
    final AtomicInteger chunksDeleted = new AtomicInteger();
    final AtomicInteger embeddingRequests = new AtomicInteger();
    final AtomicInteger embeddingRetries = new AtomicInteger();
    final AtomicLong tokens = new AtomicLong();
    /** Why the run was stopped, null until it is; shared with the counters of its cost check ({@link #sharingCancel}). */
    private final AtomicReference<String> cancelReason;
    private volatile BigDecimal cost = BigDecimal.ZERO;
    private final List<RunError> errors = Collections.synchronizedList(new ArrayList<>());

    public RunProgress() {
        this(new AtomicReference<>());
    }

    private RunProgress(AtomicReference<String> cancelReason) {
        this.cancelReason = cancelReason;
    }

    /**
     * Counters of their own that stop with this run: the cost check's dry run ({@link RunCostCeiling}) counts apart
     * from the run, but an operator's cancel, or a lost lock, stops it like the run itself.
     */
    RunProgress sharingCancel() {
        return new RunProgress(cancelReason);
    }

    public RunCounts snapshot() {
        return new RunCounts(pagesDiscovered.get(), pagesSeen.get(), pagesUnchanged.get(), pagesChanged.get(),
                pagesNew.get(), pagesGone.get(), pagesFailed.get(), chunksEmbedded.get(), chunksDeleted.get(),
                embeddingRequests.get(), embeddingRetries.get(), tokens.get());
    }

    /** Estimated cost so far in USD: the embeddings billed, or for a dry run those it would send. */
    public BigDecimal cost() {
        return cost;
    }

    void setCost(double usd) {
        cost = BigDecimal.valueOf(usd);
    }

    synchronized void addCost(double usd) {
        cost = cost.add(BigDecimal.valueOf(usd));
    }

    void fail(String url, String reason) {
        pagesFailed.incrementAndGet();
        if (errors.size() < RunRepository.MAX_ERRORS) {
            errors.add(new RunError(url, reason));
        }
    }

    List<RunError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** An operator's cancel. */
    public void cancel() {
        cancel("cancelled by an operator");
    }

    /** Stops the run: no new page is started; {@code reason} becomes the run's (the first one given wins). */
    public void cancel(String reason) {
        cancelReason.compareAndSet(null, reason);
    }

    public String cancelReason() {
        return cancelReason.get();
    }

    public boolean cancelled() {
        return cancelReason.get() != null;
    }
}
