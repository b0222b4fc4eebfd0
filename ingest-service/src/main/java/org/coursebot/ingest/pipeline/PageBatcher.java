package org.coursebot.ingest.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Groups pending pages for embedding, so requests fill up across small pages, without ever emitting a group
 * nobody asked for. Mutiny's {@code group().intoLists().of(size, duration)} flushes on its timer whether or not
 * the downstream has requested a group, and fails with a BackPressureFailure as soon as embedding a group takes
 * longer than the duration (a slow or rate-limited API, the local model on a big course).
 *
 * <p>Here the downstream pulls: each request for a group is answered, when it is made or later, with the pages
 * buffered by then — a full group at once, else a partial one once the site has kept it waiting
 * {@code maxWait} (a slow crawl), else whatever is left when the pages end. Upstream pages are requested only to
 * keep at most {@code capacity} pages buffered, so while a group is being embedded the crawl runs ahead by at
 * most that many pages and then waits: memory stays bounded whatever the relative speeds, and the embedder
 * finds its next group ready as soon as it is free.
 */
final class PageBatcher implements Flow.Subscriber<PendingPage> {

    private final int groupSize;
    private final int capacity;
    private final Duration maxWait;
    private final ScheduledExecutorService timer;

    private final ArrayDeque<PendingPage> buffer = new ArrayDeque<>();
    private Flow.Subscription upstream;
    private long outstanding;
    private boolean upstreamDone;
    private Throwable upstreamFailure;
    private CompletableFuture<List<PendingPage>> waiting;
    private boolean waitExpired;
    private boolean cancelled;

    PageBatcher(int groupSize, int capacity, Duration maxWait, ScheduledExecutorService timer) {
        this.groupSize = Math.max(1, groupSize);
        this.capacity = Math.max(this.groupSize, capacity);
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /** The groups of {@code pages}, one per downstream request; subscribes to the pages when subscribed to. */
    Multi<List<PendingPage>> groups(Multi<PendingPage> pages) {
        return Multi.createFrom().deferred(() -> {
            pages.subscribe().withSubscriber(this);
            return Multi.createBy().repeating().uni(this::next).until(List::isEmpty)
                    .onTermination().invoke(this::cancel);
        });
    }

    /** The next group; an empty list once the pages have ended and every page was handed out. */
    private Uni<List<PendingPage>> next() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<List<PendingPage>> result;
            synchronized (this) {
                if (upstreamFailure != null && buffer.isEmpty()) {
                    return Uni.createFrom().failure(upstreamFailure);
                }
                if (buffer.size() >= groupSize || upstreamDone) { // after the end, the rest (or none: the last)
                    List<PendingPage> group = take();
                    requestMore();
                    return Uni.createFrom().item(group);
                }
                waiting = result = new CompletableFuture<>();
                waitExpired = false;
                if (!maxWait.isZero()) {
                    timer.schedule(() -> expire(result), maxWait.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            requestMore();
            return Uni.createFrom().completionStage(result);
        });
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (this) {
            upstream = subscription;
        }
        requestMore();
    }

    @Override
    public void onNext(PendingPage page) {
        CompletableFuture<List<PendingPage>> ready = null;
        List<PendingPage> group = null;
        synchronized (this) {
            outstanding--;
            buffer.add(page);
            if (waiting != null && (buffer.size() >= groupSize || waitExpired)) {
                ready = waiting;
                waiting = null;
                group = take();
            }
        }
        if (ready != null) {
            ready.complete(group);
        }
        requestMore();
    }

    @Override
    public void onError(Throwable failure) {
        ended(failure);
    }

    @Override
    public void onComplete() {
        ended(null);
    }

    /**
     * The pages ended ({@code failure} null) or failed. A waiting request gets what is buffered (the next
     * request takes the rest), or the end: an empty group, or the failure.
     */
    private void ended(Throwable failure) {
        CompletableFuture<List<PendingPage>> ready;
        List<PendingPage> group;
        synchronized (this) {
            upstreamDone = true;
            upstreamFailure = failure;
            ready = waiting;
            waiting = null;
            group = ready == null ? null : take();
        }
        if (ready == null) {
            return;
        }
        if (group.isEmpty() && failure != null) {
            ready.completeExceptionally(failure);
        } else {
            ready.complete(group);
        }
    }

    /** The site kept a waiting group from filling for {@code maxWait}: hand out what is there, or the next page. */
    private void expire(CompletableFuture<List<PendingPage>> expected) {
        List<PendingPage> group = null;
        synchronized (this) {
            if (waiting != expected) {
                return;
            }
            if (buffer.isEmpty()) {
                waitExpired = true;
                return;
            }
            waiting = null;
            group = take();
        }
        expected.complete(group);
        requestMore();
    }

    private synchronized List<PendingPage> take() {
        List<PendingPage> group = new ArrayList<>(Math.min(groupSize, buffer.size()));
        while (group.size() < groupSize && !buffer.isEmpty()) {
            group.add(buffer.poll());
        }
        return group;
    }

    /** Asks upstream for as many pages as the buffer has room for, counting those already asked for. */
    private void requestMore() {
        Flow.Subscription subscription;
        long n;
        synchronized (this) {
            if (upstream == null || upstreamDone || cancelled) {
                return;
            }
            n = capacity - buffer.size() - outstanding;
            if (n <= 0) {
                return;
            }
            outstanding += n;
            subscription = upstream;
        }
        subscription.request(n);
    }

    private void cancel() {
        Flow.Subscription subscription;
        synchronized (this) {
            if (cancelled || upstreamDone || upstream == null) {
                cancelled = true;
                return;
            }
            cancelled = true;
            subscription = upstream;
        }
        subscription.cancel();
    }
}
