package org.coursebot.ingest.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.CourseChunk;
import org.coursebot.model.Vectors;

/** The SQL of {@code course_content}: what a page holds now, and replacing it with what the page has. */
@ApplicationScoped
public class ChunkRepository {

    private static final String STORED_FOR_PAGE = """
            SELECT id, content_hash, embedding_model FROM course_content WHERE source = $1 AND page_url = $2
            """;

    private static final String UPSERT_WITH_VECTOR = """
            INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, parent_id,
                                        importance, embedding, source, page_url, position, heading_path,
                                        content_hash, embedding_model, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::vector, $11, $12, $13, $14, $15, $16, now())
            ON CONFLICT (id) DO UPDATE SET
                title = EXCLUDED.title, content = EXCLUDED.content, url = EXCLUDED.url,
                content_type = EXCLUDED.content_type, part_id = EXCLUDED.part_id, module_id = EXCLUDED.module_id,
                parent_id = EXCLUDED.parent_id, importance = EXCLUDED.importance, embedding = EXCLUDED.embedding,
                source = EXCLUDED.source, page_url = EXCLUDED.page_url, position = EXCLUDED.position,
                heading_path = EXCLUDED.heading_path, content_hash = EXCLUDED.content_hash,
                embedding_model = EXCLUDED.embedding_model, updated_at = now()
            """;

    // Same text, same model: keep the vector, refresh what may have moved (position, citation url, parent),
    // and write nothing when nothing moved.
    private static final String UPDATE_METADATA = """
            UPDATE course_content SET title = $2, url = $3, content_type = $4, part_id = $5, module_id = $6,
                                      parent_id = $7, importance = $8, position = $9, updated_at = now()
             WHERE id = $1
               AND (title, url, content_type, part_id, module_id, parent_id, importance, position)
                   IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8::real, $9)
            """;

    private static final String DELETE_OTHERS = """
            DELETE FROM course_content WHERE source = $1 AND page_url = $2 AND NOT (id = ANY($3))
            """;

    private static final String DELETE_PAGE = "DELETE FROM course_content WHERE source = $1 AND page_url = $2";

    private final Pool pool;

    public ChunkRepository(Pool pool) {
        this.pool = pool;
    }

    /** Chunk id → what its stored vector was made from. */
    public Uni<Map<UUID, StoredChunk>> storedForPage(String source, String pageUrl) {
        return pool.preparedQuery(STORED_FOR_PAGE).execute(Tuple.of(source, pageUrl)).map(rows -> {
            Map<UUID, StoredChunk> stored = new HashMap<>();
            rows.forEach(r -> stored.put(r.getUUID("id"),
                    new StoredChunk(r.getString("content_hash"), r.getString("embedding_model"))));
            return stored;
        });
    }

    /**
     * Makes the page hold exactly {@code chunks}: new or changed ones with their vectors, unchanged ones
     * refreshed in place, the rest deleted. Run it inside the page's transaction.
     *
     * @return how many chunks were deleted
     */
    public Uni<Integer> replacePage(SqlClient tx, String source, String pageUrl, List<CourseChunk> chunks,
                                    Map<UUID, float[]> newVectors, String embeddingModel) {
        List<Tuple> upserts = new ArrayList<>();
        List<Tuple> refreshes = new ArrayList<>();
        for (CourseChunk c : chunks) {
            float[] vector = newVectors.get(c.id());
            if (vector != null) {
                upserts.add(Tuple.tuple(List.of(c.id(), c.title(), c.content(), c.url(), c.contentType().dbValue()))
                        .addValue(c.partId()).addValue(c.moduleId()).addValue(c.parentId())
                        .addValue((float) c.importance()).addValue(Vectors.toText(vector)).addValue(source)
                        .addValue(pageUrl).addValue(c.position()).addValue(c.headingPath())
                        .addValue(c.contentHash()).addValue(embeddingModel));
            } else {
                refreshes.add(Tuple.tuple(List.of(c.id(), c.title(), c.url(), c.contentType().dbValue()))
                        .addValue(c.partId()).addValue(c.moduleId()).addValue(c.parentId())
                        .addValue((float) c.importance()).addValue(c.position()));
            }
        }
        UUID[] keep = chunks.stream().map(CourseChunk::id).toArray(UUID[]::new);
        return batch(tx, UPSERT_WITH_VECTOR, upserts)
                .chain(() -> batch(tx, UPDATE_METADATA, refreshes))
                .chain(() -> tx.preparedQuery(DELETE_OTHERS).execute(Tuple.of(source, pageUrl, keep)))
                .map(rows -> rows.rowCount());
    }

    /** Deletes a page's chunks; returns how many. */
    public Uni<Integer> deletePage(SqlClient tx, String source, String pageUrl) {
        return tx.preparedQuery(DELETE_PAGE).execute(Tuple.of(source, pageUrl)).map(rows -> rows.rowCount());
    }

    /**
     * Recounts every lexeme of the course into {@code course_vocabulary} (migration V3). CONCURRENTLY: searches read
     * the previous counts meanwhile instead of waiting.
     */
    public Uni<Void> refreshVocabulary() {
        return pool.query("REFRESH MATERIALIZED VIEW CONCURRENTLY course_vocabulary").execute().replaceWithVoid();
    }

    private static Uni<Void> batch(SqlClient tx, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }

    /** What a stored chunk's vector was made from. */
    public record StoredChunk(String contentHash, String embeddingModel) {
    }
}
