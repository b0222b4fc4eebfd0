package org.coursebot.chat.space;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;

/** The SQL of embedding spaces, as chat-service reads them (migration V4): which one is active, one by id. */
@ApplicationScoped
public class SpaceRepository {

    /** At most one row: a unique index allows one active space. */
    static final String ACTIVE = """
            SELECT id, provider, model, dimension, status FROM embedding_space WHERE status = 'active'
            """;

    static final String BY_ID = """
            SELECT id, provider, model, dimension, status FROM embedding_space WHERE id = $1::int
            """;

    private final Pool pool;

    public SpaceRepository(Pool pool) {
        this.pool = pool;
    }

    /** The active space; empty when there is none (a database no ingest has prepared). */
    public Uni<Optional<StoredSpace>> active() {
        return pool.query(ACTIVE).execute().map(SpaceRepository::first);
    }

    /** The space with this id, whatever its status. */
    public Uni<Optional<StoredSpace>> byId(int id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(SpaceRepository::first);
    }

    /**
     * Whether the space's vector table holds at least one vector. Its name comes from an int id
     * ({@link StoredSpace#vectorTable()}): nothing to quote. False when the table does not exist (retired).
     */
    public Uni<Boolean> hasVectors(StoredSpace space) {
        return pool.query("SELECT to_regclass('" + space.vectorTable() + "') IS NOT NULL AS present").execute()
                .map(rows -> rows.iterator().next().getBoolean("present"))
                .chain(present -> !present ? Uni.createFrom().item(false)
                        : pool.query("SELECT EXISTS (SELECT FROM " + space.vectorTable() + ") AS filled").execute()
                                .map(rows -> rows.iterator().next().getBoolean("filled")));
    }

    private static Optional<StoredSpace> first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        Row r = it.next();
        return Optional.of(new StoredSpace(r.getInteger("id"), r.getString("provider"),
                new EmbeddingSpace(r.getString("model"), r.getInteger("dimension")), r.getString("status")));
    }
}
