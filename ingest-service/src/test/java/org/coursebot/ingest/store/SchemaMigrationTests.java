package org.coursebot.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.coursebot.model.DatabaseUrl;
import org.coursebot.model.SchemaVersion;
import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations against a real PostgreSQL + pgvector: applied from empty, idempotent, indexed, least privilege. */
class SchemaMigrationTests {

    private static final int DIMENSION = 384;
    private static TestDatabase db;

    @BeforeAll
    static void migrateAndFill() throws SQLException {
        db = TestDatabase.create().migrate(DIMENSION);
        // 3,000 random unit-ish vectors: enough rows that the planner must choose between the index and a scan.
        db.execute("""
                INSERT INTO course_content (id, title, content, url, content_type, embedding, source, page_url,
                                            position, heading_path, content_hash, embedding_model)
                SELECT gen_random_uuid(), 'Title ' || i, 'Content about topic ' || i, 'https://c.example/p' || (i % 50),
                       'section',
                       (SELECT array_agg(random() - 0.5)::vector(384) FROM generate_series(1, 384) WHERE i > 0),
                       'course', 'https://c.example/p' || (i % 50), i, 'Page › Title ' || i, md5(i::text), 'test/384'
                  FROM generate_series(1, 3000) AS i
                """);
        db.execute("ANALYZE course_content");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void migratingAgainAppliesNothing() {
        var result = Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + TestDatabase.migrationsFolder())
                .placeholders(TestDatabase.placeholders(384))
                .load().migrate();
        assertThat(result.migrationsExecuted).isZero();
        assertThat(result.success).isTrue();
    }

    @Test
    void tableCommentNamesTheLatestMigrationVersion() throws Exception {
        int latest;
        try (Stream<Path> files = Files.list(TestDatabase.migrationsFolder())) {
            latest = files.map(p -> Pattern.compile("^V(\\d+)__.*\\.sql$").matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(SchemaVersion.CURRENT).isEqualTo(latest);
        assertThat(SchemaVersion.parse(queryString(SchemaVersion.QUERY))).isEqualTo(latest);
    }

    @Test
    void theFirstSpaceIsTheConfiguredModelWithItsDimension() throws SQLException {
        assertThat(queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_content'::regclass AND attname = 'embedding'")).isEqualTo("vector(384)");
        assertThat(queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'course_vector_1'::regclass AND attname = 'embedding'")).isEqualTo("vector(384)");
        assertThat(queryString("SELECT id || ' ' || provider || ' ' || model || ' ' || dimension || ' ' || status"
                + " FROM embedding_space")).isEqualTo("1 local all-minilm-l6-v2-q 384 active");
    }

    @Test
    void pgvectorIsAtLeast080() throws SQLException {
        assertThat(queryString("SELECT string_to_array(extversion, '.')::int[] >= '{0,8,0}'"
                + " FROM pg_extension WHERE extname = 'vector'")).isEqualTo("t");
    }

    @Test
    void matchFunctionUsesTheHnswIndex() throws SQLException {
        String plan = explain("SELECT * FROM match_course_content('" + randomVector() + "', 0.3, 5)");
        assertThat(plan).contains("Index Scan using course_vector_1_embedding_idx").doesNotContain("Seq Scan");
    }

    @Test
    void nearestNeighbourOrderingUsesTheHnswIndex() throws SQLException {
        String plan = explain("SELECT id FROM course_content ORDER BY embedding <=> '" + randomVector() + "' LIMIT 10");
        assertThat(plan).contains("Index Scan using course_vector_1_embedding_idx");
    }

    @Test
    void eachActiveSpaceServesTheSeedFunctionWithItsOwnIndex() throws SQLException {
        // A second space of another dimension over the same 3,000 chunks, activated and rolled back.
        db.execute("INSERT INTO embedding_space (provider, model, dimension, status) VALUES ('openai', 'test-embedding-64', 64, 'ready')");
        String id = queryString("SELECT id FROM embedding_space WHERE model = 'test-embedding-64'");
        db.execute("SELECT coursebot_create_space_table(" + id + ")");
        db.execute("INSERT INTO course_vector_" + id + " (id, content_hash, embedding) SELECT id, content_hash,"
                + " (SELECT array_agg(random() - 0.5)::vector(64) FROM generate_series(1, 64) WHERE position > 0)"
                + " FROM course_chunk");
        db.execute("ANALYZE course_vector_" + id);
        try {
            db.execute("SELECT coursebot_activate_space(" + id + ")");
            String query64 = queryString("SELECT embedding::text FROM course_vector_" + id + " LIMIT 1");
            assertThat(explain("SELECT * FROM match_course_content('" + query64 + "', 0.3, 5)"))
                    .contains("Index Scan using course_vector_" + id + "_embedding_idx").doesNotContain("Seq Scan");
            assertThat(queryString("SELECT count(*) FROM match_course_content('" + query64 + "', 0.99, 5)")).isEqualTo("1");
            assertThat(queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'course_content'::regclass AND attname = 'embedding'")).isEqualTo("vector(64)");
        } finally {
            db.execute("SELECT coursebot_activate_space(1)");
            db.execute("UPDATE embedding_space SET deactivated = NULL WHERE id = " + id);
            db.execute("SELECT coursebot_retire_space(" + id + ")");
        }
        assertThat(explain("SELECT * FROM match_course_content('" + randomVector() + "', 0.3, 5)"))
                .contains("Index Scan using course_vector_1_embedding_idx");
    }

    @Test
    void theOldThresholdFirstFormCannotUseTheIndex() throws SQLException {
        // The reason match_course_content was rewritten; if this ever uses the index the rewrite is moot.
        String plan = explain("SELECT id FROM course_content WHERE 1 - (embedding <=> '" + randomVector()
                + "') > 0.3 ORDER BY 1 - (embedding <=> '" + randomVector() + "') DESC LIMIT 5");
        assertThat(plan).contains("Seq Scan");
    }

    @Test
    void matchFunctionReturnsTheOldColumnsBestFirstAndAppliesTheThreshold() throws SQLException {
        String query = queryString("SELECT embedding::text FROM course_content ORDER BY position LIMIT 1");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM match_course_content('" + query + "', 0.99, 5)")) {
            assertThat(rs.getMetaData().getColumnCount()).isEqualTo(6);
            assertThat(rs.getMetaData().getColumnName(6)).isEqualTo("similarity");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("title")).isEqualTo("Title 1");
            assertThat(rs.getDouble("similarity")).isGreaterThan(0.999);
            assertThat(rs.next()).as("random vectors are not similar above 0.99").isFalse();
        }
    }

    @Test
    void chatRoleCanSearchButNotWrite() throws SQLException {
        DatabaseUrl chat = DatabaseUrl.parse("chat", db.chatUrl());
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), chat.user(), chat.password());
             Statement s = c.createStatement()) {
            for (String read : new String[] {"SELECT count(*) FROM course_content", "SELECT count(*) FROM course_chunk",
                    "SELECT count(*) FROM course_vector_1"}) {
                try (ResultSet rs = s.executeQuery(read)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(read).isEqualTo(3000);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM match_course_content('" + randomVector() + "', 0, 3)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            for (String write : new String[] {
                    "INSERT INTO course_content (id) VALUES (gen_random_uuid())",
                    "UPDATE course_content SET title = 'x'",
                    "DELETE FROM course_content",
                    "TRUNCATE course_chunk",
                    "INSERT INTO course_vector_1 (id, content_hash, embedding) SELECT id, 'x', embedding FROM course_content",
                    "DELETE FROM course_vector_1",
                    "UPDATE embedding_space SET status = 'retired'",
                    "SELECT coursebot_activate_space(1)",
                    "SELECT * FROM page",
                    "SELECT * FROM ingest_run",
                    "SELECT * FROM flyway_schema_history",
                    "CREATE TABLE intruder (id int)"}) {
                assertThatThrownBy(() -> s.execute(write)).as(write)
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
        }
    }

    private static String explain(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static String queryString(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String randomVector() {
        Random random = new Random(42);
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() - 0.5f;
        }
        return Vectors.toText(v);
    }
}
