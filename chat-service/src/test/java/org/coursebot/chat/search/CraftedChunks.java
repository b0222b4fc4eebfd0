package org.coursebot.chat.search;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;

/**
 * Writes chunks (through course_content, the view over the active space: space 1 unless a test activates another)
 * whose similarity to the question vector e0 is exact: a chunk at similarity s has the
 * vector s·e0 + sqrt(1 − s²)·e_i, with an axis i of its own, so its cosine to e0 is s and to every other crafted
 * chunk s·s'. Also a bulk of random chunks, for plans and HNSW scans that need a table of some size.
 */
final class CraftedChunks {

    /** The local model's dimension, TestDatabaseResource's default. */
    static final int DIMENSION = 384;
    /** The database's first space, as TestDatabase.migrate(384) makes it: the local model, active. */
    static final StoredSpace SPACE = new StoredSpace(1, "local", EmbeddingSpace.LOCAL_MINILM, StoredSpace.ACTIVE);
    static final String BASE = "https://course.example.org/";

    private static final String INSERT = """
            INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding, source,
                                        page_url, position, heading_path, content_hash)
            VALUES (?, ?, ?, ?, 'section', '1', 'a', ?::vector, 'course', ?, ?, ?, md5(?))
            """;

    // Random vectors from a fixed seed (same session as the INSERT), words from a small vocabulary: the same table
    // on every run. A distinct heading per row, so every row is a section of its own.
    private static final String BULK = """
            INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding, source,
                                        page_url, position, heading_path, content_hash)
            SELECT md5('bulk' || i)::uuid, 'Bulk ' || i,
                   'topic' || mod(i, 300) || ' lesson' || mod(i, 7) || ' filler text',
                   'https://course.example.org/bulk/' || i, 'section', '1', 'a', v.embedding, 'bulk',
                   'https://course.example.org/bulk/' || i, 0, 'Bulk › ' || i, md5('bulk' || i)
              FROM generate_series(1, %d) AS i,
                   LATERAL (SELECT array_agg(random() - 0.5)::vector(%d) AS embedding
                              FROM generate_series(1, %d) WHERE i > 0) AS v
            """;

    private final TestDatabase database;
    private int nextAxis = 1;

    private CraftedChunks(TestDatabase database) {
        this.database = database;
    }

    /** Removes every chunk, and so every space's vectors. */
    static CraftedChunks empty(TestDatabase database) {
        database.execute("TRUNCATE course_chunk CASCADE");
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

    /**
     * A second space ({@code openai text-embedding-3-small} shortened to 384 dimensions), ready, built as
     * ingest-service builds one: its table and HNSW index, then a vector for every chunk (here space 1's, copied).
     */
    static StoredSpace secondSpace(TestDatabase database) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            int id;
            try (ResultSet r = s.executeQuery("INSERT INTO embedding_space (provider, model, dimension, status)"
                    + " VALUES ('openai', 'text-embedding-3-small', " + DIMENSION + ", 'building') RETURNING id")) {
                r.next();
                id = r.getInt(1);
            }
            StoredSpace space = new StoredSpace(id, "openai", new EmbeddingSpace("text-embedding-3-small", DIMENSION),
                    StoredSpace.READY);
            s.execute("SELECT coursebot_create_space_table(" + id + ")");
            s.execute("INSERT INTO " + space.vectorTable() + " (id, content_hash, embedding)"
                    + " SELECT id, content_hash, embedding FROM " + SPACE.vectorTable());
            s.execute("UPDATE embedding_space SET status = 'ready' WHERE id = " + id);
            s.execute("ANALYZE " + space.vectorTable());
            return space;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build a second space: " + e.getMessage(), e);
        }
    }

    /** What ingest-service does at the end of a run: the vocabulary refreshed, the statistics fresh. */
    void publish() {
        database.execute("SELECT coursebot_refresh_vocabulary()");
        database.execute("ANALYZE course_chunk");
        database.execute("ANALYZE " + SPACE.vectorTable());
    }

    /**
     * Makes course_content exactly {@code rows} random bulk chunks, published; leaves it alone when it already is
     * (seeding thousands of rows into an HNSW index takes seconds).
     */
    static void bulk(TestDatabase database, int rows) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            String counts = "SELECT count(*) FILTER (WHERE c.source = 'bulk'), count(*), count(v.id)"
                    + " FROM course_chunk c LEFT JOIN " + SPACE.vectorTable() + " v ON v.id = c.id";
            try (ResultSet r = s.executeQuery(counts)) {
                r.next();
                if (r.getInt(1) == rows && r.getInt(2) == rows && r.getInt(3) == rows) {
                    return;
                }
            }
            s.execute("TRUNCATE course_chunk CASCADE");
            s.execute("SELECT setseed(0.42)");
            s.execute(String.format(BULK, rows, DIMENSION, DIMENSION));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed " + rows + " bulk chunks: " + e.getMessage(), e);
        }
        new CraftedChunks(database).publish();
    }
}
