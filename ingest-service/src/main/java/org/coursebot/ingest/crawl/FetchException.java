package org.coursebot.ingest.crawl;

/** Why one request produced no usable response; {@link #transientFailure()} ones (timeouts, network) may pass next time. */
final class FetchException extends Exception {

    /** What went wrong. */
    enum Kind {
        REFUSED(false), TIMEOUT(true), TOO_LARGE(false), PDF_TOO_LARGE(false), NOT_HTML(false), NETWORK(true);

        final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }
    }

    private final Kind kind;

    FetchException(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    boolean transientFailure() {
        return kind.transientFailure;
    }
}
