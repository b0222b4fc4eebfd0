package org.coursebot.ingest.store;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One ingest at a time per database, across all instances: a session-level PostgreSQL advisory lock held on
 * a connection of its own for the whole run. If the process dies the connection closes and the lock is freed;
 * if the database restarts, the session and its lock are gone and the holder is told ({@link Held#onLost}).
 */
@ApplicationScoped
public class IngestLock {

    /** Arbitrary but fixed: the 64-bit key every Coursebot ingest-service agrees on. */
    public static final long KEY = 0x636f75727365626fL; // "courseb o"

    private final Pool pool;

    public IngestLock(Pool pool) {
        this.pool = pool;
    }

    /** The held lock, or empty when another ingest holds it. */
    public Uni<Optional<Held>> tryAcquire() {
        return pool.getConnection().chain(connection ->
                RunRepository.tryAdvisoryLock(connection, KEY)
                        .onFailure().call(connection::close)
                        .chain(locked -> locked
                                ? Uni.createFrom().item(Optional.of(new Held(connection)))
                                : connection.close().replaceWith(Optional.<Held>empty())));
    }

    /** A held lock; {@link #release()} unlocks and returns the connection to the pool. */
    public static final class Held {
        private final SqlConnection connection;
        private volatile boolean released;

        Held(SqlConnection connection) {
            this.connection = connection;
        }

        /** Runs {@code action} if the lock's session ends before {@link #release()} (a restart, a killed backend). */
        public void onLost(Runnable action) {
            connection.closeHandler(() -> {
                if (!released) {
                    action.run();
                }
            });
        }

        public Uni<Void> release() {
            released = true;
            return RunRepository.advisoryUnlock(connection, KEY)
                    .onFailure().recoverWithNull()
                    .onTermination().call(connection::close);
        }
    }
}
