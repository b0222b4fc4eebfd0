package org.coursebot.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.coursebot.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The course vocabulary (migration V7): counted per course, so that an ingest recounts the course it wrote and
 * nothing else, and a scoped search asks that course's words.
 */
class CourseVocabularyTests {

    @Test
    void refreshingOneCourseRecountsItAndLeavesTheOthersAsTheyWere() throws SQLException {
        try (TestDatabase db = TestDatabase.create().migrate(384)) {
            chunk(db, "shell", "p1", "Pipes join commands.");
            chunk(db, "git", "p1", "Commits record snapshots.");
            db.execute("SELECT coursebot_refresh_vocabulary()");
            chunk(db, "shell", "p2", "Pipes and filters.");
            chunk(db, "git", "p2", "Branches point at commits.");

            db.execute("SELECT coursebot_refresh_vocabulary('shell')");

            assertThat(rows(db, "SELECT source || ' ' || lexeme || ' ' || chunks FROM course_vocabulary"
                    + " WHERE lexeme IN ('pipe', 'filter', 'commit', 'branch') ORDER BY 1"))
                    .as("shell recounted; git's second chunk not counted until git is refreshed")
                    .containsExactly("git commit 1", "shell filter 1", "shell pipe 2");
        }
    }

    @Test
    void refreshingEveryCourseForgetsACourseWithoutChunks() throws SQLException {
        try (TestDatabase db = TestDatabase.create().migrate(384)) {
            chunk(db, "shell", "p1", "Pipes join commands.");
            chunk(db, "git", "p1", "Commits record snapshots.");
            db.execute("SELECT coursebot_refresh_vocabulary()");
            db.execute("DELETE FROM course_chunk WHERE source = 'git'");

            db.execute("SELECT coursebot_refresh_vocabulary()");

            assertThat(rows(db, "SELECT DISTINCT source FROM course_vocabulary")).containsExactly("shell");
        }
    }

    @Test
    void theUpgradeFromTheMaterializedViewCountsEveryCourse() throws SQLException {
        try (TestDatabase db = TestDatabase.create()) {
            flyway(db, "6").migrate();
            chunk(db, "shell", "p1", "Pipes join commands.");
            chunk(db, "git", "p1", "Pipes? No: commits.");

            flyway(db, null).migrate();

            assertThat(rows(db, "SELECT source || ' ' || chunks FROM course_vocabulary WHERE lexeme = 'pipe'"
                    + " ORDER BY 1")).containsExactly("git 1", "shell 1");
            assertThat(db.queryString("SELECT relkind FROM pg_class WHERE relname = 'course_vocabulary'"))
                    .isEqualTo("r");
        }
    }

    private static org.flywaydb.core.Flyway flyway(TestDatabase db, String target) {
        var configuration = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + TestDatabase.migrationsFolder()).placeholders(TestDatabase.placeholders(384));
        return (target == null ? configuration : configuration.target(target)).load();
    }

    private static void chunk(TestDatabase db, String source, String page, String text) {
        String url = "https://" + source + ".example/" + page;
        db.execute("INSERT INTO course_content (id, title, content, url, content_type, embedding, source, page_url,"
                + " position, heading_path, content_hash) VALUES (gen_random_uuid(), 'T', '" + text + "', '" + url
                + "', 'section', array_fill(0.1, ARRAY[384])::vector, '" + source + "', '" + url + "', 0, 'T', md5('"
                + text + "'))");
    }

    private static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
