package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.coursebot.model.DatabaseUrl;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/ops/create-chat-role.sql run as docs/deploy.md says, on a migrated database whose migration did not know
 * the role (as on Render): the role then reads course_content and course_vocabulary and runs match_course_content,
 * and nothing else.
 */
class ChatRoleTests {

    /** A connection string (libpq) of a role that may create roles; default: the local cluster's socket. */
    static final String ROLE_ADMIN_VARIABLE = "COURSEBOT_TEST_ROLE_ADMIN_URL";

    private static TestDatabase db;
    private static String role;
    private static String roleAdmin;
    private static final String PASSWORD = "chat-" + UUID.randomUUID();
    private static final String INSIGHTS_ROLE = "cb_test_insights_" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void createRole() {
        roleAdmin = roleAdmin();
        db = TestDatabase.create().migrate(384);
        role = "cb_test_chat_" + UUID.randomUUID().toString().substring(0, 8);
        Repo.Run first = createChatRole(PASSWORD);
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(first.stdout()).contains("chat role " + role + " ready in database " + db.name());
    }

    @AfterAll
    static void dropRole() {
        if (db == null) {
            return;
        }
        db.close();
        for (String dropped : List.of(role, INSIGHTS_ROLE)) {
            Repo.Run drop = psql(roleAdmin, "postgres", "DROP ROLE IF EXISTS " + dropped);
            assertThat(drop.exitCode()).as("%s", drop).isZero();
        }
    }

    @Test
    void readsCourseContentAndRunsTheSearchFunction() throws SQLException {
        db.execute("INSERT INTO course_content (id, title, content, url, content_type, embedding, source, page_url,"
                + " position, heading_path, content_hash, embedding_model) VALUES (gen_random_uuid(), 't', 'c',"
                + " 'https://c.test/', 'page', array_fill(0.1, ARRAY[384])::vector, 'demo', 'https://c.test/', 0, 't',"
                + " 'h', 'm')");
        try (Connection c = asChat(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM course_content")).isEqualTo(1);
            // What chat-service itself reads: the active space, its vectors and the chunks.
            assertThat(count(s, "SELECT count(*) FROM course_vector_1 v JOIN course_chunk c ON c.id = v.id")).isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM embedding_space WHERE status = 'active'")).isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM course_vocabulary")).as("readable; refreshed by ingest-service").isZero();
            assertThat(count(s, "SELECT count(*) FROM match_course_content(array_fill(0.1, ARRAY[384])::vector, 0.5, 5)"))
                    .isEqualTo(1);
        }
    }

    @Test
    void cannotWriteNorReadAnythingElse() throws SQLException {
        try (Connection c = asChat(); Statement s = c.createStatement()) {
            for (String sql : List.of("DELETE FROM course_content", "UPDATE course_content SET title = 'x'",
                    "DELETE FROM course_chunk", "DELETE FROM course_vector_1", "UPDATE embedding_space SET status = 'retired'",
                    "SELECT coursebot_activate_space(1)", "SELECT * FROM coursebot_take_token('k', 5, 20)",
                    "SELECT count(*) FROM rate_bucket", "UPDATE answer_spend SET spent_usd = 0",
                    "SELECT count(*) FROM page", "SELECT count(*) FROM ingest_run",
                    "SELECT count(*) FROM flyway_schema_history", "CREATE TABLE own (id int)",
                    "INSERT INTO answer_feedback VALUES (gen_random_uuid(), gen_random_uuid(), now(), true, null)")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
            assertThat(single(s, "SHOW default_transaction_read_only")).isEqualTo("on");
            assertThat(single(s, "SELECT string_agg(table_name || ':' || privilege_type, ',' ORDER BY table_name) FROM"
                    + " information_schema.role_table_grants WHERE grantee = current_user"))
                    .isEqualTo("answer_feedback:SELECT,answer_spend:SELECT,course_chunk:SELECT,course_content:SELECT,"
                            + "course_policy:SELECT,course_vector_1:SELECT,course_vocabulary:SELECT,embedding_space:SELECT,"
                            + "limit_day:SELECT,"
                            + "question_log:SELECT");
            // information_schema leaves materialized views out: none is left since schema 7 (course_vocabulary a table)
            assertThat(single(s, "SELECT string_agg(c.relname, ',') FROM pg_class c WHERE c.relkind = 'm'"
                    + " AND has_table_privilege(current_user, c.oid, 'SELECT')")).isNull();
            assertThat(single(s, "SELECT string_agg(routine_name, ',') FROM information_schema.role_routine_grants"
                    + " WHERE grantee = current_user")).isEqualTo("match_course_content");
        }
    }

    @Test
    void runningItAgainChangesThePasswordAndKeepsTheSameGrants() throws SQLException {
        String second = PASSWORD + "-2";
        Repo.Run again = createChatRole(second);
        assertThat(again.exitCode()).as("%s", again).isZero();
        try (Connection c = connectAs(second); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = current_user"))
                    .isEqualTo(10);
        } finally {
            assertThat(createChatRole(PASSWORD).exitCode()).isZero();
        }
    }

    @Test
    void refusesToRunWithoutAPassword() {
        Repo.Run run = psqlFile(List.of("-v", "chat_role=" + role));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("chat_password");
    }

    /** deploy/ops/create-insights-role.sql: the question log's role may INSERT into its two tables, and do nothing else. */
    @Test
    void theInsightsRoleMayOnlyInsertIntoTheQuestionLog() throws SQLException {
        String password = "insights-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-At", conninfo(roleAdmin, db.name()),
                "-v", "insights_password=" + password, "-v", "insights_role=" + INSIGHTS_ROLE,
                "-f", "deploy/ops/create-insights-role.sql"));
        Repo.Run run = Repo.run(command);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).contains("insights role " + INSIGHTS_ROLE + " ready in database " + db.name());
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), INSIGHTS_ROLE, password);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO question_log (answer_id, asked_at, question, covered, mode, degraded, coverage, cited,"
                    + " latency_ms, client_key, channel) VALUES (gen_random_uuid(), now(), 'q', true, 'extractive', false,"
                    + " '{}', '[]', 5, 'k', 'api')");
            s.execute("INSERT INTO answer_feedback VALUES (gen_random_uuid(), gen_random_uuid(), now(), true, null)");
            for (String sql : List.of("SELECT count(*) FROM question_log", "SELECT count(*) FROM answer_feedback",
                    "DELETE FROM question_log", "UPDATE answer_feedback SET helpful = false",
                    "SELECT count(*) FROM course_chunk", "SELECT count(*) FROM course_content", "DELETE FROM course_chunk",
                    "SELECT count(*) FROM page", "CREATE TABLE own (id int)", "SELECT count(*) FROM rate_bucket",
                    "UPDATE answer_spend SET spent_usd = 0", "SELECT count(*) FROM limit_day")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
            assertThat(single(s, "SELECT string_agg(table_name || ':' || privilege_type, ',' ORDER BY table_name) FROM"
                    + " information_schema.role_table_grants WHERE grantee = current_user"))
                    .isEqualTo("answer_feedback:INSERT,question_log:INSERT");
            // The shared limits (schema 9): through their functions only.
            assertThat(single(s, "SELECT allowed FROM coursebot_take_token('a-client-key', 5, 20)")).isEqualTo("t");
            assertThat(single(s, "SELECT reserved FROM coursebot_reserve_spend('course', 0.01, 1)")).isEqualTo("t");
            assertThat(single(s, "SELECT string_agg(DISTINCT routine_name, ',' ORDER BY routine_name) FROM"
                    + " information_schema.role_routine_grants WHERE grantee = current_user"))
                    .isEqualTo("coursebot_forget_idle_buckets,coursebot_reserve_spend,coursebot_settle_spend,"
                            + "coursebot_take_token");
        }
    }

    private static Repo.Run createChatRole(String password) {
        return psqlFile(List.of("-v", "chat_password=" + password, "-v", "chat_role=" + role));
    }

    private static Repo.Run psqlFile(List<String> variables) {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-At", conninfo(roleAdmin, db.name())));
        command.addAll(variables);
        command.addAll(List.of("-f", "deploy/ops/create-chat-role.sql"));
        return Repo.run(command);
    }

    private static Repo.Run psql(String admin, String database, String sql) {
        return Repo.run(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", conninfo(admin, database), "-c", sql));
    }

    private static String conninfo(String admin, String database) {
        return admin + " dbname=" + database;
    }

    /** Render's database owner may create roles; the local writer may not, so the local superuser stands in. */
    private static String roleAdmin() {
        String configured = System.getenv(ROLE_ADMIN_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        DatabaseUrl admin = DatabaseUrl.parse(TestDatabase.ADMIN_URL_VARIABLE, System.getenv(TestDatabase.ADMIN_URL_VARIABLE));
        Path socket = Repo.root().resolve(".local/run");
        Assumptions.assumeTrue(Files.exists(socket.resolve(".s.PGSQL." + admin.port())),
                "set " + ROLE_ADMIN_VARIABLE + " (a role that may CREATE ROLE) or run deploy/local/postgres.sh here");
        return "host=" + socket + " port=" + admin.port() + " user=postgres";
    }

    private static Connection asChat() throws SQLException {
        return connectAs(PASSWORD);
    }

    private static Connection connectAs(String password) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), role, password);
    }

    private static long count(Statement s, String sql) throws SQLException {
        return Long.parseLong(single(s, sql));
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
