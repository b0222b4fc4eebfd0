package org.coursebot.ingest.store;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an ingest run (a crawl or a space build) stands, as {@code ingest_run.status} stores it and the admin API
 * shows it: lower case. A run starts {@link #RUNNING} and ends once, in one of the other three
 * ({@link RunRepository#finish} only moves a running run); a run whose process died is marked failed by the next one.
 */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** The stored and shown name. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a stored name stands for. */
    public static RunStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return wire();
    }
}
