package org.coursebot.chat.space;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;
import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;

/**
 * Chunks and embedding spaces as ingest-service leaves them (migration V4): chunks written through course_content
 * (the active space's view), another space built beside it (its table, a vector per chunk, ready), activated and
 * retired with the migration's own functions.
 */
public final class SpaceFixture {

    public static final String BASE = "https://course.example.org/";

    private final TestDatabase database;

    public SpaceFixture(TestDatabase database) {
        this.database = database;
    }

    /** Removes every chunk, and with them every space's vectors. */
    public SpaceFixture empty() {
        database.execute("TRUNCATE course_chunk CASCADE");
        return this;
    }

    /** A chunk, a section of its own on {@code page}, with its vector in the active space; its id. */
    public UUID chunk(String page, String title, String content, float[] vector) {
        UUID id = id(page);
        String sql = """
                INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding,
                                            source, page_url, position, heading_path, content_hash)
                VALUES (?, ?, ?, ?, 'section', '1', 'a', ?::vector, 'course', ?, 0, ?, md5(?))
                """;
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            s.setString(2, title);
            s.setString(3, content);
            s.setString(4, BASE + page);
            s.setString(5, Vectors.toText(vector));
            s.setString(6, BASE + page);
            s.setString(7, title);
            s.setString(8, content);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert chunk " + title + ": " + e.getMessage(), e);
        }
        return id;
    }

    /** The id {@link #chunk} gives the chunk of a page. */
    public static UUID id(String page) {
        return UUID.nameUUIDFromBytes(page.getBytes(StandardCharsets.UTF_8));
    }

    /** A new space, building, with its table and HNSW index (coursebot_create_space_table). */
    public StoredSpace create(String provider, String model, int dimension) {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("INSERT INTO embedding_space (provider, model, dimension, status) VALUES ('"
                     + provider + "', '" + model + "', " + dimension + ", 'building') RETURNING id")) {
            r.next();
            int id = r.getInt(1);
            database.execute("SELECT coursebot_create_space_table(" + id + ")");
            return new StoredSpace(id, provider, new EmbeddingSpace(model, dimension), StoredSpace.BUILDING);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a space: " + e.getMessage(), e);
        }
    }

    /** The space's vectors of these chunks, for their current text; then the space is ready. */
    public SpaceFixture fill(StoredSpace space, Map<UUID, float[]> vectors) {
        String sql = "INSERT INTO " + space.vectorTable() + " (id, content_hash, embedding)"
                + " SELECT id, content_hash, ?::vector FROM course_chunk WHERE id = ?";
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (var e : vectors.entrySet()) {
                s.setString(1, Vectors.toText(e.getValue()));
                s.setObject(2, e.getKey());
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill " + space.vectorTable() + ": " + e.getMessage(), e);
        }
        database.execute("UPDATE embedding_space SET status = 'ready' WHERE id = " + space.id());
        return this;
    }

    public void activate(int space) {
        database.execute("SELECT coursebot_activate_space(" + space + ")");
    }

    public void retire(int space) {
        database.execute("SELECT coursebot_retire_space(" + space + ")");
    }

    /** What ingest-service does at the end of a run. */
    public void publish() {
        database.execute("SELECT coursebot_refresh_vocabulary()");
    }
}
