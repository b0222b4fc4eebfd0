package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/ops/snapshot.sh and restore.sh round-tripping a migrated, filled database of the local cluster. */
class SnapshotRestoreTests {

    private static final List<String> TABLES = List.of("course_content", "course_chunk", "course_vector_1", "embedding_space", "page", "ingest_run", "flyway_schema_history");
    private static final String CHECKSUM = """
            SELECT md5(string_agg(concat_ws('|', id, title, content, url, content_type, part_id, module_id, parent_id,
                                            importance, embedding::text, source, page_url, position, heading_path,
                                            content_hash, embedding_model, tsv::text, updated_at), E'\\n' ORDER BY id))
              FROM course_content""";
    private static final int ROWS = 40;

    private static TestDatabase source;

    @TempDir
    Path dir;

    @BeforeAll
    static void fill() throws SQLException {
        source = TestDatabase.create().migrate(384);
        try (Connection c = source.connect()) {
            c.setAutoCommit(false);
            insertChunks(c);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO page (source, url, etag, content_hash) VALUES ('demo', 'https://c.test/a', 'W/\"1\"', 'h')");
                s.execute("INSERT INTO ingest_run (source, trigger, status, tokens, errors) "
                        + "VALUES ('demo', 'admin', 'succeeded', 1234, '[{\"url\":\"https://c.test/x\",\"error\":\"404\"}]')");
            }
            c.commit();
        }
    }

    @AfterAll
    static void drop() {
        source.close();
    }

    @Test
    void roundTripKeepsEveryRowTheChecksumAndASearchableIndex() throws Exception {
        Path snapshot = snapshot();
        try (TestDatabase target = TestDatabase.create()) {
            Repo.Run restore = restore(target, "--yes", snapshot.toString());
            assertThat(restore.exitCode()).as("%s", restore).isZero();
            assertThat(restore.stdout() + restore.stderr()).as("quiet on success").isEmpty();

            Map<String, Long> counts = counts(source);
            assertThat(counts.get("course_content")).isEqualTo(ROWS);
            assertThat(counts(target)).isEqualTo(counts);
            assertThat(single(target, CHECKSUM)).isEqualTo(single(source, CHECKSUM)).isNotNull();
            assertThat(single(target, "SELECT count(*) FROM match_course_content((SELECT embedding FROM course_content"
                    + " ORDER BY id LIMIT 1), -2, 5)")).isEqualTo("5");
            assertThat(single(target, "SELECT indexdef FROM pg_indexes WHERE indexname = 'course_vector_1_embedding_idx'"))
                    .contains("hnsw").contains("vector_cosine_ops");
            // The active space's view still takes the seed schema's writes (its trigger came along).
            target.execute("DELETE FROM course_content WHERE id = (SELECT id FROM course_chunk ORDER BY id LIMIT 1)");
            assertThat(single(target, "SELECT count(*) FROM course_vector_1")).isEqualTo(String.valueOf(ROWS - 1));
        }
    }

    @Test
    void refusesANonEmptyTargetUntilToldToReplaceIt() throws Exception {
        Path snapshot = snapshot();
        try (TestDatabase target = TestDatabase.create().migrate(384)) {
            Repo.Run refused = restore(target, "--yes", snapshot.toString());
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("is not empty").contains("--replace");
            assertThat(counts(target).get("course_content")).isZero();

            Repo.Run replaced = restore(target, "--yes", "--replace", snapshot.toString());
            assertThat(replaced.exitCode()).as("%s", replaced).isZero();
            assertThat(counts(target)).isEqualTo(counts(source));
            assertThat(single(target, CHECKSUM)).isEqualTo(single(source, CHECKSUM));
        }
    }

    @Test
    void asksForConfirmationAndRefusesWithoutATerminalToAskOn() throws Exception {
        Path snapshot = snapshot();
        try (TestDatabase target = TestDatabase.create()) {
            Repo.Run run = restore(target, snapshot.toString());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stderr()).contains("--yes");
            assertThat(single(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
        }
    }

    @Test
    void restoresOnlyOnceTheOperatorTypesTheDatabaseName() throws Exception {
        Path snapshot = snapshot();
        try (TestDatabase target = TestDatabase.create()) {
            Repo.Run wrong = onTerminal(target, snapshot, "not-the-name\n");
            assertThat(wrong.exitCode()).as("%s", wrong).isNotZero();
            assertThat(wrong.stdout()).contains("Type the database name to confirm").contains("nothing changed");
            assertThat(single(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");

            Repo.Run confirmed = onTerminal(target, snapshot, target.name() + "\n");
            assertThat(confirmed.exitCode()).as("%s", confirmed).isZero();
            assertThat(counts(target)).isEqualTo(counts(source));
        }
    }

    @Test
    void snapshotOfAnUnreachableDatabaseFailsNamingItButNotItsPassword() throws Exception {
        String url = source.url().replace(":" + source.password() + "@", ":Wrong-Secret-42@");
        Repo.Run run = Repo.run(List.of("bash", "deploy/ops/snapshot.sh", "--url", url, "--dir", dir.toString()));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("cannot connect to").contains(source.name()).doesNotContain("Wrong-Secret-42");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no partial snapshot left behind").isEmpty();
        }
    }

    @Test
    void restoreRefusesAFileThatIsNoSnapshot() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.dump"), "not a dump");
        try (TestDatabase target = TestDatabase.create()) {
            Repo.Run run = restore(target, "--yes", junk.toString());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stderr()).contains("not a pg_dump custom-format archive");
        }
    }

    @Test
    void bothScriptsExplainThemselves() {
        for (String script : List.of("deploy/ops/snapshot.sh", "deploy/ops/restore.sh")) {
            Repo.Run help = Repo.run(List.of("bash", script, "--help"));
            assertThat(help.exitCode()).isZero();
            assertThat(help.stdout()).startsWith("Usage: " + script);
        }
    }

    @Test
    void aSnapshotFromBeforeTheVocabularyRestoredOverTheCurrentSchemaMigratesForwardAgain() throws Exception {
        // Rolling the data back to schema 2 (restore.sh --replace): every object of the newer schema must go (V3's
        // vocabulary, whose query is a string pg_restore --clean knows nothing of; V4's view where schema 2 has a table),
        // so that the next deploy migrates forward again.
        try (TestDatabase older = TestDatabase.create(); TestDatabase target = TestDatabase.create().migrate(384)) {
            org.flywaydb.core.Flyway.configure().dataSource(older.jdbcUrl(), older.user(), older.password())
                    .locations("filesystem:" + TestDatabase.migrationsFolder()).target("2")
                    .placeholders(TestDatabase.placeholders(384))
                    .load().migrate();
            Path snapshot = snapshot(older);
            Repo.Run restore = restore(target, "--yes", "--replace", snapshot.toString());
            assertThat(restore.exitCode()).as("%s", restore).isZero();
            assertThat(single(target, "SELECT max(version::int) FROM flyway_schema_history")).isEqualTo("2");

            target.migrate(384);

            assertThat(single(target, "SELECT max(version::int) FROM flyway_schema_history"))
                    .isEqualTo(String.valueOf(org.coursebot.model.SchemaVersion.CURRENT));
            assertThat(single(target, "SELECT count(*) FROM course_vocabulary")).isEqualTo("0");
            assertThat(single(target, "SELECT count(*) FROM embedding_space WHERE status = 'active'")).isEqualTo("1");
        }
    }

    private Path snapshot() {
        return snapshot(source);
    }

    private Path snapshot(TestDatabase source) {
        Repo.Run run = Repo.run(List.of("bash", "deploy/ops/snapshot.sh", "--url", source.url(), "--dir", dir.toString()));
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stderr()).as("quiet on success").isEmpty();
        Path file = Path.of(run.stdout().strip());
        assertThat(file.getFileName().toString()).matches("coursebot-" + source.name() + "-\\d{8}T\\d{6}Z\\.dump");
        assertThat(file).isRegularFile().hasParent(dir);
        return file;
    }

    private static Repo.Run restore(TestDatabase target, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "deploy/ops/restore.sh", "--url", target.url()));
        command.addAll(List.of(args));
        return Repo.run(command);
    }

    /** restore.sh on a pseudo-terminal (util-linux script), as an operator runs it, answering the prompt. */
    private static Repo.Run onTerminal(TestDatabase target, Path snapshot, String answer) {
        String command = "bash deploy/ops/restore.sh --url '" + target.url() + "' '" + snapshot + "'";
        return Repo.run(Map.of(), List.of("script", "-q", "-e", "-c", command, "/dev/null"), answer);
    }

    private static void insertChunks(Connection c) throws SQLException {
        String sql = """
                INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, parent_id,
                    importance, embedding, source, page_url, position, heading_path, content_hash, embedding_model)
                VALUES (?, ?, ?, ?, ?, 'part-1', ?, ?, ?, ?::vector, 'demo', ?, ?, ?, ?, 'all-minilm-l6-v2')""";
        UUID page = null;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < ROWS; i++) {
                UUID id = UUID.nameUUIDFromBytes(("chunk-" + i).getBytes());
                boolean isPage = i % 10 == 0;
                String pageUrl = "https://c.test/module-" + i / 10;
                p.setObject(1, id);
                p.setString(2, "Section " + i + " – ünïcode");
                p.setString(3, "Content of section " + i + ": loops, recursion and 'quotes'.\nSecond line.");
                p.setString(4, pageUrl + (isPage ? "" : "#section-" + i));
                p.setString(5, isPage ? "page" : "section");
                p.setString(6, "module-" + i / 10);
                p.setObject(7, isPage ? null : page);
                p.setFloat(8, 1.0f - i / 100f);
                p.setString(9, vector(i));
                p.setString(10, pageUrl);
                p.setInt(11, i % 10);
                p.setString(12, "Module " + i / 10 + " > Section " + i);
                p.setString(13, "hash-" + i);
                p.executeUpdate();
                if (isPage) {
                    page = id;
                }
            }
        }
    }

    private static String vector(int seed) {
        return IntStream.range(0, 384).mapToObj(d -> String.format(Locale.ROOT, "%.6f", Math.sin(seed * 31 + d) / 3))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Map<String, Long> counts(TestDatabase db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, Long.parseLong(single(db, "SELECT count(*) FROM " + table)));
        }
        return counts;
    }

    private static String single(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
