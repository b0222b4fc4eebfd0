package org.coursebot.ingest.crawl;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/** Per-host politeness: successive requests to one host start at least {@code delay} apart. */
final class HostThrottle {

    private final Map<String, Long> nextStart = new HashMap<>();
    private volatile long delayMillis;

    HostThrottle(Duration delay) {
        this.delayMillis = Math.max(0, delay.toMillis());
    }

    /** Raises the delay (robots.txt Crawl-delay); never lowers it below the configured one. */
    void atLeast(long millis) {
        delayMillis = Math.max(delayMillis, millis);
    }

    long delayMillis() {
        return delayMillis;
    }

    /** Completes when a request to {@code host} may start, reserving that slot. */
    Uni<Void> acquire(String host) {
        long wait;
        synchronized (nextStart) {
            long now = System.nanoTime() / 1_000_000;
            long slot = Math.max(now, nextStart.getOrDefault(host, now));
            nextStart.put(host, slot + delayMillis);
            wait = slot - now;
        }
        Uni<Void> ready = Uni.createFrom().voidItem();
        return wait <= 0 ? ready : ready.onItem().delayIt().by(Duration.ofMillis(wait));
    }
}
