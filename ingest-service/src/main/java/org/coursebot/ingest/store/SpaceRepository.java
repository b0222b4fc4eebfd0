package org.coursebot.ingest.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
import org.coursebot.model.Vectors;

/**
 * The SQL of embedding spaces (migration V4): their rows, their vector tables, and the functions that create,
 * activate and retire them. A vector table's name comes from the space's integer id ({@link StoredSpace#vectorTable}),
 * never from input, so building statements per space is safe.
 */
@ApplicationScoped
public class SpaceRepository {

    private static final String COLUMNS = "id, provider, model, dimension, status, created, activated, deactivated, retired";

    /** Active first: a run embeds into it before the others. */
    private static final String LIVE = "SELECT " + COLUMNS + " FROM embedding_space WHERE status <> 'retired'"
            + " ORDER BY status = 'active' DESC, id";
    private static final String ALL = "SELECT " + COLUMNS + " FROM embedding_space ORDER BY id";
    private static final String FIND = "SELECT " + COLUMNS + " FROM embedding_space WHERE id = $1";
    private static final String INSERT = """
            INSERT INTO embedding_space (provider, model, dimension, status) VALUES ($1, $2, $3, 'building') RETURNING id
            """;
    private static final String MARK_READY = "UPDATE embedding_space SET status = 'ready' WHERE id = $1 AND status = 'building'";

    private final Pool pool;

    public SpaceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every space that is not retired, the active one first. */
    public Uni<List<SpaceRow>> live() {
        return pool.query(LIVE).execute().map(SpaceRepository::rows);
    }

    public Uni<List<SpaceRow>> all() {
        return pool.query(ALL).execute().map(SpaceRepository::rows);
    }

    public Uni<Optional<SpaceRow>> find(int id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next())));
    }

    /** A new space, 'building', with its empty vector table and HNSW index; fails with 23505 when one exists. */
    public Uni<Integer> create(String provider, EmbeddingSpace space) {
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(Tuple.of(provider, space.model(), space.dimension()))
                .map(rows -> rows.iterator().next().getInteger("id"))
                .call(id -> tx.preparedQuery("SELECT coursebot_create_space_table($1)").execute(Tuple.of(id))));
    }

    /** {@code coursebot_activate_space} in its own transaction: statuses, view and seed function switch together. */
    public Uni<Void> activate(int id) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT coursebot_activate_space($1)").execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    /** {@code coursebot_retire_space}: drops the space's vectors and index. */
    public Uni<Void> retire(int id) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT coursebot_retire_space($1)").execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    /** A building space whose every current chunk has a vector becomes ready. */
    public Uni<Boolean> markReady(int id) {
        return pool.preparedQuery(MARK_READY).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /** Current chunks, and of those the ones with a vector of their current text in the space; its size on disk. */
    public Uni<Coverage> coverage(StoredSpace space) {
        String sql = """
                SELECT count(*) AS chunks, count(v.id) AS covered,
                       pg_table_size('%1$s') AS table_bytes, pg_indexes_size('%1$s') AS index_bytes
                  FROM course_chunk c LEFT JOIN %1$s v ON v.id = c.id AND v.content_hash = c.content_hash
                """.formatted(space.vectorTable());
        return pool.query(sql).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Coverage(r.getLong("chunks"), r.getLong("covered"), r.getLong("table_bytes"), r.getLong("index_bytes"),
                    space.vectorTable() + "_embedding_idx");
        });
    }

    /**
     * The next {@code limit} chunks after {@code after} (in id order) without a vector of their current text in the
     * space: what a build embeds. Keyset pagination over the primary key, so each page costs the same.
     */
    public Uni<List<MissingChunk>> missing(StoredSpace space, UUID after, int limit) {
        String sql = """
                SELECT c.id, c.content_hash, c.heading_path, c.content FROM course_chunk c
                 WHERE c.id > $1 AND NOT EXISTS (SELECT FROM %s v WHERE v.id = c.id AND v.content_hash = c.content_hash)
                 ORDER BY c.id LIMIT $2
                """.formatted(space.vectorTable());
        return pool.preparedQuery(sql).execute(Tuple.of(after, limit)).map(rows -> {
            List<MissingChunk> chunks = new ArrayList<>();
            rows.forEach(r -> chunks.add(new MissingChunk(r.getUUID("id"), r.getString("content_hash"),
                    r.getString("heading_path") + "\n\n" + r.getString("content"))));
            return chunks;
        });
    }

    /** Writes vectors into a space, each with the hash of the text it was made from. */
    public Uni<Void> upsertVectors(SqlClient client, StoredSpace space, List<SpaceVector> vectors) {
        if (vectors.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String sql = "INSERT INTO " + space.vectorTable() + " (id, content_hash, embedding) VALUES ($1, $2, $3::vector)"
                + " ON CONFLICT (id) DO UPDATE SET content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding";
        List<Tuple> tuples = vectors.stream()
                .map(v -> Tuple.of(v.id(), v.contentHash(), Vectors.toText(v.vector()))).toList();
        return client.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }

    /** Deletes vectors made from a text the chunk no longer has (their new one failed): never serve a stale one. */
    public Uni<Void> deleteVectors(SqlClient client, StoredSpace space, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("DELETE FROM " + space.vectorTable() + " WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).replaceWithVoid();
    }

    private static List<SpaceRow> rows(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<SpaceRow> list = new ArrayList<>();
        rows.forEach(r -> list.add(row(r)));
        return list;
    }

    private static SpaceRow row(Row r) {
        return new SpaceRow(new StoredSpace(r.getInteger("id"), r.getString("provider"),
                new EmbeddingSpace(r.getString("model"), r.getInteger("dimension")), r.getString("status")),
                r.getOffsetDateTime("created"), r.getOffsetDateTime("activated"), r.getOffsetDateTime("deactivated"),
                r.getOffsetDateTime("retired"));
    }

    /** A space with its history. */
    public record SpaceRow(StoredSpace space, OffsetDateTime created, OffsetDateTime activated,
                           OffsetDateTime deactivated, OffsetDateTime retired) {
    }

    /** How much of the course a space covers, and its size. */
    public record Coverage(long chunks, long covered, long tableBytes, long indexBytes, String index) {
    }

    /** A chunk a build must embed: its id, the hash of its text, and the text as embedded. */
    public record MissingChunk(UUID id, String contentHash, String embeddingText) {
    }

    /** A vector to store, with the hash of the text it was made from. */
    public record SpaceVector(UUID id, String contentHash, float[] vector) {
    }
}
