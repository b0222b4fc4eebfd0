package org.coursebot.ingest.crawl;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live counts of one crawl, readable from any thread, and its verdict. {@link #complete()} is true only when the
 * crawl finished having reached every page it could discover: the pipeline deletes pages missing from a complete
 * crawl and must never do so after a crawl cut short by a limit, failures that hid links, or cancellation.
 */
public final class CrawlProgress {

    private final AtomicInteger discovered = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<String> cutShort = new AtomicReference<>();
    private volatile Runnable onCancel = () -> { };

    /** In-scope URLs found so far (queued, fetched or skipped). */
    public int discovered() {
        return discovered.get();
    }

    /** Pages emitted so far, whatever their status. */
    public int done() {
        return done.get();
    }

    /** Pages emitted as FAILED so far. */
    public int failed() {
        return failed.get();
    }

    /** True once the crawl ended having reached everything it discovered; false while running. */
    public boolean complete() {
        return finished.get() && !cancelled.get() && cutShort.get() == null;
    }

    /** Why the crawl is not complete (first reason), or null. */
    public String incompleteReason() {
        if (cancelled.get()) {
            return "cancelled";
        }
        return cutShort.get();
    }

    /** Asks the crawl to stop: no new requests start; the page stream completes once those in flight end. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            onCancel.run();
        }
    }

    /** True once {@link #cancel()} was called. */
    public boolean cancelled() {
        return cancelled.get();
    }

    /** True once the page stream ended. */
    public boolean finished() {
        return finished.get();
    }

    /** Lets the running crawl react to {@link #cancel()} at once instead of at its next step. */
    void onCancel(Runnable action) {
        onCancel = action;
    }

    void discoveredOne() {
        discovered.incrementAndGet();
    }

    void emitted(CrawledPage page) {
        done.incrementAndGet();
        if (page.status() == CrawledPage.Status.FAILED) {
            failed.incrementAndGet();
        }
    }

    /** Records that pages may have been missed; the first reason wins. */
    void cutShort(String reason) {
        cutShort.compareAndSet(null, reason);
    }

    void finish() {
        finished.set(true);
    }

    @Override
    public String toString() {
        return "CrawlProgress[done=" + done() + ", discovered=" + discovered() + ", failed=" + failed()
                + ", finished=" + finished() + ", incomplete=" + incompleteReason() + "]";
    }
}
