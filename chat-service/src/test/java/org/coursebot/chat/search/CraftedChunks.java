package org.coursebot.chat.search;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;

/**
 * Writes course_content rows whose similarity to the question vector e0 is exact: a chunk at similarity s has the
 * vector s·e0 + sqrt(1 − s²)·e_i, with an axis i of its own, so its cosine to e0 is s and to every other crafted
 * chunk s·s'. Also a bulk of random chunks, for plans and HNSW scans that need a table of some size.
 */
final class CraftedChunks {

    /** The local model's dimension, TestDatabaseResource's default. */
    static final int DIMENSION = 384;
    static final String BASE = "https://course.example.org/";

    private static final String INSERT = """
            INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding, source,
                                        page_url, position, heading_path, content_hash, embedding_model)
            VALUES (?, ?, ?, ?, 'section', '1', 'a', ?::vector, 'course', ?, ?, ?, md5(?), 'all-minilm-l6-v2-q/384')
            """;

    // Random vectors from a fixed seed (same session as the INSERT), words from a small vocabulary: the same table
    // on every run. A distinct heading per row, so every row is a section of its own.
    private static final String BULK = """
            INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding, source,
                                        page_url, position, heading_path, content_hash, embedding_model)
            SELECT md5('bulk' || i)::uuid, 'Bulk ' || i,
                   'topic' || mod(i, 300) || ' lesson' || mod(i, 7) || ' filler text',
                   'https://course.example.org/bulk/' || i, 'section', '1', 'a', v.embedding, 'bulk',
                   'https://course.example.org/bulk/' || i, 0, 'Bulk › ' || i, md5('bulk' || i),
                   'all-minilm-l6-v2-q/384'
              FROM generate_series(1, %d) AS i,
                   LATERAL (SELECT array_agg(random() - 0.5)::vector(%d) AS embedding
                              FROM generate_series(1, %d) WHERE i > 0) AS v
            """;

    private final TestDatabase database;
    private int nextAxis = 1;

    private CraftedChunks(TestDatabase database) {
        this.database = database;
    }

    /** Empties course_content. */
    static CraftedChunks empty(TestDatabase database) {
        database.execute("TRUNCATE course_content");
        return new CraftedChunks(database);
    }

    /** The question's vector: e0. */
    static float[] question() {
        float[] v = new float[DIMENSION];
        v[0] = 1;
        return v;
    }

    /** A chunk of section {@code heading} (also its title) of {@code page}, at {@code similarity} to e0. */
    UUID add(String page, String heading, int position, String content, double similarity) {
        if (nextAxis >= DIMENSION) {
            throw new IllegalStateException("no axis left for another crafted chunk");
        }
        float[] v = new float[DIMENSION];
        v[0] = (float) similarity;
        v[nextAxis++] = (float) Math.sqrt(1 - similarity * similarity);
        UUID id = UUID.nameUUIDFromBytes((page + heading + position).getBytes(StandardCharsets.UTF_8));
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setObject(1, id);
            s.setString(2, heading);
            s.setString(3, content);
            s.setString(4, BASE + page);
            s.setString(5, Vectors.toText(v));
            s.setString(6, BASE + page);
            s.setInt(7, position);
            s.setString(8, heading);
            s.setString(9, content);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert chunk " + heading + ": " + e.getMessage(), e);
        }
        return id;
    }

    /** What ingest-service does at the end of a run: the vocabulary refreshed, the statistics fresh. */
    void publish() {
        database.execute("REFRESH MATERIALIZED VIEW course_vocabulary");
        database.execute("ANALYZE course_content");
    }

    /**
     * Makes course_content exactly {@code rows} random bulk chunks, published; leaves it alone when it already is
     * (seeding thousands of rows into an HNSW index takes seconds).
     */
    static void bulk(TestDatabase database, int rows) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            String counts = "SELECT count(*) FILTER (WHERE source = 'bulk'), count(*) FROM course_content";
            try (ResultSet r = s.executeQuery(counts)) {
                r.next();
                if (r.getInt(1) == rows && r.getInt(2) == rows) {
                    return;
                }
            }
            s.execute("TRUNCATE course_content");
            s.execute("SELECT setseed(0.42)");
            s.execute(String.format(BULK, rows, DIMENSION, DIMENSION));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed " + rows + " bulk chunks: " + e.getMessage(), e);
        }
        new CraftedChunks(database).publish();
    }
}
