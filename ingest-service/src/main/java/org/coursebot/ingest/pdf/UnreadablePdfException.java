package org.coursebot.ingest.pdf;

/** A PDF that is not ingested, and why, in words an operator reads in the run's page errors. */
public final class UnreadablePdfException extends RuntimeException {

    public UnreadablePdfException(String reason) {
        super(reason, null, false, false);
    }

    public UnreadablePdfException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
