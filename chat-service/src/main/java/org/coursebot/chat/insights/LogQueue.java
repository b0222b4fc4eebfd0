package org.coursebot.chat.insights;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The question log's queue, bounded by the heap its entries take (estimated, {@link LogEntry#bytes()}), not by their
 * number: a 1536-dimension question weighs twice a 384-dimension one. Offering never waits; a full queue refuses.
 */
final class LogQueue {

    private final Queue<LogEntry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong size = new AtomicLong();
    private final long capacityBytes;

    LogQueue(long capacityBytes, MeterRegistry registry) {
        this.capacityBytes = capacityBytes;
        Gauge.builder("coursebot.insights.queued", size, AtomicLong::get)
                .description("questions and feedback waiting to be written").register(registry);
        Gauge.builder("coursebot.insights.queued.bytes", bytes, AtomicLong::get)
                .description("their estimated heap size (bounded by coursebot.insights.queue-memory)").register(registry);
    }

    /** Takes room for {@code size} bytes, if there is room; {@link #add} or {@link #release} it after. */
    boolean reserve(long size) {
        while (true) {
            long now = bytes.get();
            if (now + size > capacityBytes) {
                return false;
            }
            if (bytes.compareAndSet(now, now + size)) {
                return true;
            }
        }
    }

    void release(long size) {
        bytes.addAndGet(-size);
    }

    /** Queues an entry whose room was reserved; returns how many entries wait now. */
    long add(LogEntry entry) {
        entries.add(entry);
        return size.incrementAndGet();
    }

    /** Takes up to {@code max} entries, oldest first, and frees their room. */
    List<LogEntry> take(int max) {
        List<LogEntry> batch = new ArrayList<>(Math.min(max, 64));
        LogEntry next;
        while (batch.size() < max && (next = entries.poll()) != null) {
            batch.add(next);
            size.decrementAndGet();
            bytes.addAndGet(-next.bytes());
        }
        return batch;
    }

    long size() {
        return size.get();
    }
}
