package org.coursebot.chat.replica;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SQL of the search database's replication state. Every function it calls may be run by any role (PostgreSQL
 * 15), so the read-only chat role reads it; none writes, so a standby answers it.
 */
@ApplicationScoped
public class ReplicaRepository {

    /**
     * One row. On a primary the functions of recovery are not called (the CASEs): {@code pg_is_wal_replay_paused()}
     * fails there. After a restart the standby's receive position starts at the beginning of a WAL segment and may
     * lie behind its replay position for a moment: never less than 0 bytes.
     */
    static final String STATE = """
            SELECT pg_is_in_recovery() AS standby,
                   CASE WHEN pg_is_in_recovery() THEN EXISTS (SELECT FROM pg_stat_wal_receiver) END AS receiving,
                   CASE WHEN pg_is_in_recovery()
                        THEN greatest(0, pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()))::bigint
                   END AS bytes_to_replay,
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS replay_paused,
                   CASE WHEN pg_is_in_recovery()
                        THEN (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint
                   END AS last_replayed_commit_age_ms
            """;

    private final Pool pool;

    public ReplicaRepository(Pool pool) {
        this.pool = pool;
    }

    /** The search database's replication state, now. */
    public Uni<ReplicaState> state() {
        return pool.query(STATE).execute().map(rows -> state(rows.iterator().next()));
    }

    private static ReplicaState state(Row r) {
        if (!r.getBoolean("standby")) {
            return ReplicaState.primary();
        }
        return new ReplicaState(true, r.getBoolean("receiving"), r.getLong("bytes_to_replay"),
                r.getBoolean("replay_paused"), r.getLong("last_replayed_commit_age_ms"));
    }
}
