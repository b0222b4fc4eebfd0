package org.coursebot.ingest.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.store.SpaceRepository.SpaceVector;
import org.coursebot.model.CourseChunk;
import org.coursebot.model.StoredSpace;

/**
 * The SQL of {@code course_chunk} (the chunks' text, once) and, through {@link SpaceRepository}, of their vectors in
 * each embedding space: what a page holds now, and replacing it with what the page has.
 */
@ApplicationScoped
public class ChunkRepository {

    private static final String UPSERT = """
            INSERT INTO course_chunk (id, title, content, url, content_type, part_id, module_id, parent_id,
                                      importance, source, page_url, position, heading_path, content_hash, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
            ON CONFLICT (id) DO UPDATE SET
                title = EXCLUDED.title, content = EXCLUDED.content, url = EXCLUDED.url,
                content_type = EXCLUDED.content_type, part_id = EXCLUDED.part_id, module_id = EXCLUDED.module_id,
                parent_id = EXCLUDED.parent_id, importance = EXCLUDED.importance, source = EXCLUDED.source,
                page_url = EXCLUDED.page_url, position = EXCLUDED.position, heading_path = EXCLUDED.heading_path,
                content_hash = EXCLUDED.content_hash, updated_at = now()
            """;

    // Same text: keep the row, refresh what may have moved (position, citation url, parent), and write nothing when
    // nothing moved.
    private static final String UPDATE_METADATA = """
            UPDATE course_chunk SET title = $2, url = $3, content_type = $4, part_id = $5, module_id = $6,
                                    parent_id = $7, importance = $8, position = $9, updated_at = now()
             WHERE id = $1
               AND (title, url, content_type, part_id, module_id, parent_id, importance, position)
                   IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8::real, $9)
            """;

    // Vectors go with their chunk (ON DELETE CASCADE), in every space.
    private static final String DELETE_OTHERS = """
            DELETE FROM course_chunk WHERE source = $1 AND page_url = $2 AND NOT (id = ANY($3))
            """;

    private static final String DELETE_PAGE = "DELETE FROM course_chunk WHERE source = $1 AND page_url = $2";
    private static final String REFRESH_VOCABULARY = "SELECT coursebot_refresh_vocabulary($1::text)";

    private final Pool pool;
    private final SpaceRepository spaces;

    public ChunkRepository(Pool pool, SpaceRepository spaces) {
        this.pool = pool;
        this.spaces = spaces;
    }

    /**
     * Chunk id → the hash of its stored text and, per space, of the text its vector there was made from. One round
     * trip whatever the number of spaces.
     */
    public Uni<Map<UUID, StoredChunk>> storedForPage(String source, String pageUrl, List<StoredSpace> live) {
        StringBuilder sql = new StringBuilder("SELECT c.id, c.content_hash");
        for (StoredSpace s : live) {
            sql.append(", v").append(s.id()).append(".content_hash AS v").append(s.id());
        }
        sql.append(" FROM course_chunk c");
        for (StoredSpace s : live) {
            sql.append(" LEFT JOIN ").append(s.vectorTable()).append(" v").append(s.id())
                    .append(" ON v").append(s.id()).append(".id = c.id");
        }
        sql.append(" WHERE c.source = $1 AND c.page_url = $2");
        return pool.preparedQuery(sql.toString()).execute(Tuple.of(source, pageUrl)).map(rows -> {
            Map<UUID, StoredChunk> stored = new HashMap<>();
            rows.forEach(r -> {
                Map<Integer, String> vectors = new HashMap<>();
                for (StoredSpace s : live) {
                    String hash = r.getString("v" + s.id());
                    if (hash != null) {
                        vectors.put(s.id(), hash);
                    }
                }
                stored.put(r.getUUID("id"), new StoredChunk(r.getString("content_hash"), vectors));
            });
            return stored;
        });
    }

    /**
     * Makes the page hold exactly {@code chunks}: those whose text is new or changed written whole, the others
     * refreshed in place, the rest deleted (with their vectors); then each space's new vectors, and in each space the
     * vectors listed as {@code stale} (made from a text the chunk no longer has) deleted. Run it inside the page's
     * transaction.
     *
     * @return how many chunks were deleted
     */
    public Uni<Integer> replacePage(SqlClient tx, String source, String pageUrl, List<CourseChunk> chunks,
                                    Set<UUID> textChanged, List<SpaceWrite> vectors) {
        List<Tuple> upserts = new ArrayList<>();
        List<Tuple> refreshes = new ArrayList<>();
        for (CourseChunk c : chunks) {
            if (textChanged.contains(c.id())) {
                upserts.add(Tuple.tuple(List.of(c.id(), c.title(), c.content(), c.url(), c.contentType().dbValue()))
                        .addValue(c.partId()).addValue(c.moduleId()).addValue(c.parentId())
                        .addValue((float) c.importance()).addValue(source).addValue(pageUrl).addValue(c.position())
                        .addValue(c.headingPath()).addValue(c.contentHash()));
            } else {
                refreshes.add(Tuple.tuple(List.of(c.id(), c.title(), c.url(), c.contentType().dbValue()))
                        .addValue(c.partId()).addValue(c.moduleId()).addValue(c.parentId())
                        .addValue((float) c.importance()).addValue(c.position()));
            }
        }
        UUID[] keep = chunks.stream().map(CourseChunk::id).toArray(UUID[]::new);
        return batch(tx, UPSERT, upserts)
                .chain(() -> batch(tx, UPDATE_METADATA, refreshes))
                .chain(() -> tx.preparedQuery(DELETE_OTHERS).execute(Tuple.of(source, pageUrl, keep)))
                .map(rows -> rows.rowCount())
                .call(() -> Multi.createFrom().iterable(vectors)
                        .onItem().transformToUniAndConcatenate(w -> spaces.upsertVectors(tx, w.space(), w.vectors())
                                .chain(() -> spaces.deleteVectors(tx, w.space(), w.stale())))
                        .collect().last());
    }

    /** Deletes a page's chunks (and their vectors in every space); returns how many. */
    public Uni<Integer> deletePage(SqlClient tx, String source, String pageUrl) {
        return tx.preparedQuery(DELETE_PAGE).execute(Tuple.of(source, pageUrl)).map(rows -> rows.rowCount());
    }

    /**
     * Recounts the lexemes of one course's chunks into {@code course_vocabulary} (migration V7), in one transaction:
     * searches read the previous counts meanwhile instead of waiting. Costs what the course's chunks cost, whatever
     * the number of other courses.
     */
    public Uni<Void> refreshVocabulary(String source) {
        return pool.preparedQuery(REFRESH_VOCABULARY).execute(Tuple.of(source)).replaceWithVoid();
    }

    private static Uni<Void> batch(SqlClient tx, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }

    /** A stored chunk: the hash of its text, and per space id the hash of the text its vector was made from. */
    public record StoredChunk(String contentHash, Map<Integer, String> vectorHashes) {
    }

    /** One space's part of a page write: new vectors, and vectors to delete because they are stale. */
    public record SpaceWrite(StoredSpace space, List<SpaceVector> vectors, List<UUID> stale) {
    }
}
