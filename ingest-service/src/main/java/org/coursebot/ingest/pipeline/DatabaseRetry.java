package org.coursebot.ingest.pipeline;

import java.io.IOException;
import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

/**
 * Retries a database step through a restart or a dropped connection (about 30 s of backoff in all), so a
 * PostgreSQL that goes away for a moment slows a run down instead of failing its pages. Only failures a retry
 * can fix are retried: a lost or refused connection, and the SQLSTATE classes 08 (connection), 53 (resources),
 * 57 (operator intervention, e.g. 57P01 during a shutdown) and 40 (serialization, deadlock); a constraint or
 * data error fails at once. The steps retried are transactions or idempotent writes, so doing one twice is safe.
 */
final class DatabaseRetry {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(4);
    static final int RETRIES = 10;

    private DatabaseRetry() {
    }

    static <T> Uni<T> transientFailures(Uni<T> step) {
        return step.onFailure(DatabaseRetry::isTransient).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).atMost(RETRIES);
    }

    static boolean isTransient(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                    || state.startsWith("40"));
        }
        return failure instanceof VertxException || failure instanceof IOException
                || failure.getCause() instanceof IOException;
    }
}
