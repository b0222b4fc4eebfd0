package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Opens after {@code failureThreshold} consecutive failed requests and refuses calls for
 * {@code openDuration}; then lets one trial request through (half-open): success closes it, failure
 * opens it again. Stops a run from hammering an API that keeps failing.
 */
public final class CircuitBreaker {

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private int consecutiveFailures;
    private long openUntil;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openDuration) {
        this(failureThreshold, openDuration, System::nanoTime);
    }

    CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoClock) {
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openNanos = openDuration.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Empty when the call may go ahead, else how long the circuit stays open. */
    public synchronized Optional<Duration> refusal() {
        if (consecutiveFailures < failureThreshold) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        if (now < openUntil) {
            return Optional.of(Duration.ofNanos(openUntil - now));
        }
        if (trialInFlight) {
            return Optional.of(Duration.ofMillis(100));
        }
        trialInFlight = true;
        return Optional.empty();
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    /**
     * A call let through ended without telling whether the API works: cancelled by its caller (a question's
     * deadline) or refused for its own content (400). Frees the half-open trial, or every later call would be
     * refused for good; the failure count stays as it was.
     */
    public synchronized void onAbandoned() {
        trialInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        trialInFlight = false;
        if (consecutiveFailures >= failureThreshold) {
            openUntil = nanoClock.getAsLong() + openNanos;
        }
    }

    public synchronized boolean isOpen() {
        return consecutiveFailures >= failureThreshold && nanoClock.getAsLong() < openUntil;
    }
}
