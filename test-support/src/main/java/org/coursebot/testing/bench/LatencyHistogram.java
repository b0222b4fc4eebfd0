package org.coursebot.testing.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Latencies in 10 µs buckets up to 500 ms (one more bucket for longer), shared by the threads or event loops that
 * record them: a fixed 200 KB whatever the run's length, so that it weighs the same on every way's heap.
 */
final class LatencyHistogram {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 50_000;

    private final AtomicIntegerArray counts = new AtomicIntegerArray(BUCKETS + 1);

    void record(long nanos) {
        counts.incrementAndGet((int) Math.min(BUCKETS, Math.max(0, nanos / BUCKET_NANOS)));
    }

    long count() {
        long n = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The quantile (0..1) in ms, the middle of its bucket; 500 when it is past the last one; NaN when empty. */
    double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i == BUCKETS ? BUCKETS * BUCKET_NANOS / 1e6 : (i + 0.5) * BUCKET_NANOS / 1e6;
            }
        }
        return Double.NaN;
    }
}
