package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.system.Repository;
import org.coursebot.system.faults.IngestProcess;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The upgrade of a database from before embedding spaces (schema 3: one course_content table with its vectors) by the
 * packaged ingest-service: the rows are kept as they were, they become space 1, and re-ingesting the unchanged course
 * afterwards sends no embedding request at all. The schema-3 database holds what a real ingest wrote: the sample
 * course ingested by this ingest-service, its rows copied into a database migrated to version 3 only.
 */
class SchemaUpgradeTests {

    /** Every column of a chunk and its vector, as schema 3 stored them; after the upgrade, read through the view. */
    private static final String CHECKSUM = """
            SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', id, title, content, url, content_type, part_id,
                   module_id, parent_id, importance, embedding::text, source, page_url, position, heading_path,
                   content_hash, embedding_model), E'\\n' ORDER BY id))
              FROM course_content""";

    @Test
    void aSchema3DatabaseBecomesSpace1WithEveryRowKeptAndNoEmbeddingRequest() throws Exception {
        Path repo = Repository.root();
        try (FakeOpenAiServer openAi = FakeOpenAiServer.start();
             TestDatabase ingested = TestDatabase.create();
             TestDatabase old = TestDatabase.create()) {
            SampleCourse.ingest(repo, "upgrade-first-ingest", ingested.url(), openAi);
            Flyway.configure().dataSource(old.jdbcUrl(), old.user(), old.password())
                    .locations("filesystem:" + TestDatabase.migrationsFolder()).target("3")
                    .placeholders(TestDatabase.placeholders(1536)).load().migrate();
            copy(ingested, old, "SELECT id, title, content, url, content_type, part_id, module_id, parent_id, importance,"
                    + " embedding::text AS embedding, source, page_url, position, heading_path, content_hash,"
                    + " embedding_model, updated_at FROM course_content", "course_content");
            copy(ingested, old, "SELECT source, url, etag, last_modified, content_hash, last_seen, links FROM page", "page");
            old.execute("REFRESH MATERIALIZED VIEW course_vocabulary");
            String before = old.queryString(CHECKSUM);
            assertThat(before).startsWith(ingested.queryString("SELECT count(*) FROM course_chunk") + " ");
            assertThat(old.queryString("SELECT obj_description('course_content'::regclass)")).isEqualTo("coursebot-schema:3");

            openAi.reset();
            try (IngestProcess upgraded = IngestProcess.start(repo, "upgrade-ingest", old.url(), SampleCourse.BASE_URL,
                    openAi.baseUrl(), Map.of("COURSEBOT_SOURCES_COURSE_DIRECTORY", repo.resolve("deploy/demo-course").toString()))) {
                assertThat(upgraded.awaitReady(Duration.ofSeconds(60))).as("ready after the migration").isTrue();
                assertThat(old.queryString(CHECKSUM)).as("every row and vector as it was").isEqualTo(before);
                assertThat(old.queryString("SELECT id || ' ' || provider || ' ' || model || ' ' || dimension || ' ' || status"
                        + " FROM embedding_space")).isEqualTo("1 openai text-embedding-3-small 1536 active");
                assertThat(old.queryString("SELECT count(*) FROM course_vector_1 v JOIN course_chunk c ON c.id = v.id"
                        + " AND v.content_hash = c.content_hash")).isEqualTo(before.split(" ")[0]);

                JsonNode run = upgraded.ingest(Duration.ofMinutes(3));
                assertThat(run.get("status").asText()).isEqualTo("succeeded");
                assertThat(run.at("/counts/chunksEmbedded").asInt()).isZero();
                assertThat(run.at("/counts/pagesFailed").asInt()).isZero();
            }
            assertThat(openAi.received("/embeddings")).as("embedding requests since the upgrade began").isEmpty();
            assertThat(old.queryString(CHECKSUM)).as("and after re-ingesting the unchanged course").isEqualTo(before);
            assertThat(old.queryString("SELECT obj_description('course_chunk'::regclass)")).as("the upgrade went on to the latest schema").isEqualTo("coursebot-schema:" + org.coursebot.model.SchemaVersion.CURRENT);
        }
    }

    /** Copies the rows of {@code select} in {@code from} into {@code table} of {@code to}, in one transaction. */
    private static void copy(TestDatabase from, TestDatabase to, String select, String table) throws SQLException {
        try (Connection source = from.connect(); Connection target = to.connect();
             Statement s = source.createStatement(); ResultSet rows = s.executeQuery(select)) {
            target.setAutoCommit(false);
            ResultSetMetaData meta = rows.getMetaData();
            StringBuilder columns = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.append(i > 1 ? ", " : "").append(meta.getColumnLabel(i));
                values.append(i > 1 ? ", " : "").append(meta.getColumnLabel(i).equals("embedding") ? "?::vector" : "?");
            }
            try (PreparedStatement insert = target.prepareStatement(
                    "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")")) {
                while (rows.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        insert.setObject(i, rows.getObject(i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            target.commit();
        }
    }
}
