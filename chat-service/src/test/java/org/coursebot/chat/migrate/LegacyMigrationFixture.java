package org.coursebot.chat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.coursebot.embedding.LocalEmbeddingModel;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;

/**
 * The migration as it will meet it: the bundled demo course (deploy/demo-course) served on 127.0.0.1; a
 * LEGACY database built and filled as the old plan did (its SQL, ids and fragments invented from titles,
 * all-MiniLM-L6-v2 vectors); and Coursebot's database (the real migrations) with the same sections, honest
 * citation urls and the same model's vectors. chat-service reads the new one as the read-only chat role.
 */
public class LegacyMigrationFixture implements QuarkusTestResourceLifecycleManager {

    static final String ADMIN_TOKEN = "compare-test-token";

    /** The old plan's SQL, verbatim in substance: text ids, IVFFlat with 100 lists, the old function body. */
    static final String LEGACY_SCHEMA = """
            CREATE TABLE course_content (id text primary key, title text, content text, url text, content_type text,
                part_id int, module_id text, parent_id text, importance float, embedding vector(384));
            CREATE INDEX ON course_content USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
            CREATE FUNCTION match_course_content(query_embedding vector(384), match_threshold float, match_count int)
            RETURNS TABLE(id text, title text, content text, url text, content_type text, similarity float)
            LANGUAGE sql STABLE AS $$
                SELECT id, title, content, url, content_type, 1 - (embedding <=> query_embedding) AS similarity
                  FROM course_content
                 WHERE 1 - (embedding <=> query_embedding) > match_threshold
                 ORDER BY similarity DESC
                 LIMIT match_count
            $$;
            """;

    static final String CHECKSUM = """
            SELECT count(*) || ':' || md5(coalesce(string_agg(c::text, '|' ORDER BY c.id), '')) FROM course_content c
            """;

    TestDatabase legacy;
    TestDatabase current;
    String baseUrl;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        Path site = demoCourse();
        vertx = Vertx.vertx();
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
            String path = req.path().endsWith("/") ? req.path() + "index.html" : req.path();
            Path file = site.resolve(path.substring(1)).normalize();
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                req.response().setStatusCode(404).end("not found");
            } else {
                req.response().putHeader("Content-Type", file.toString().endsWith(".html") ? "text/html; charset=utf-8"
                        : "application/octet-stream").sendFile(file.toString());
            }
        }).listen(0, "127.0.0.1"));
        baseUrl = "http://127.0.0.1:" + server.actualPort();
        List<CourseSections> pages = pages(site);
        legacy = TestDatabase.create();
        legacy.execute(LEGACY_SCHEMA);
        current = TestDatabase.create().migrate(384);
        try (LocalEmbeddingModel model = new LocalEmbeddingModel(1, 64)) {
            for (CourseSections page : pages) {
                List<String> texts = page.sections().stream().map(CourseSections.Section::content).toList();
                List<float[]> vectors = model.embed(texts).await().atMost(Duration.ofMinutes(2));
                insertLegacy(page, vectors);
                insertCurrent(page, vectors);
            }
        }
        current.execute("SELECT coursebot_refresh_vocabulary()"); // as ingest-service does after a run
        var chat = DatabaseUrl.parse("chat", current.chatUrl());
        Map<String, String> config = new java.util.HashMap<>(current.quarkusConfig(chat.user(), chat.password(), false));
        // As Supabase gives it: the URL with its parameters.
        config.put("coursebot.legacy.database-url", legacy.url() + "?sslmode=disable");
        config.put("coursebot.admin.token", ADMIN_TOKEN);
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(LegacyMigrationFixture.class));
    }

    @Override
    public void stop() {
        if (legacy != null) {
            legacy.close();
        }
        if (current != null) {
            current.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    /** Row count and md5 of every legacy row: any write would change it. */
    String legacyChecksum() throws SQLException {
        try (Connection c = legacy.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(CHECKSUM)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The demo course's question set, its expected sections as absolute urls on the served site. */
    List<Map<String, Object>> questions() throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Map<String, Object>> questions = new ArrayList<>();
        for (String line : Files.readAllLines(demoCourse().resolve("questions.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            var node = mapper.readTree(line);
            Map<String, Object> q = new java.util.LinkedHashMap<>();
            q.put("question", node.get("question").asText());
            if (node.path("expectedPage").isTextual()) {
                String fragment = node.path("expectedFragment").isTextual() ? "#" + node.get("expectedFragment").asText() : "";
                q.put("expectedUrl", baseUrl + node.get("expectedPage").asText() + fragment);
            }
            questions.add(q);
        }
        return questions;
    }

    private void insertLegacy(CourseSections page, List<float[]> vectors) {
        Set<String> ids = new HashSet<>();
        String sql = "INSERT INTO course_content VALUES (?, ?, ?, ?, 'section', ?, ?, NULL, 1.0, ?::vector)";
        try (Connection c = legacy.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < vectors.size(); i++) {
                var s = page.sections().get(i);
                String id = s.legacyUrl().substring(baseUrl.length());
                while (!ids.add(id)) {
                    id = id + "-1";
                }
                ps.setString(1, id);
                ps.setString(2, s.title());
                ps.setString(3, s.content());
                ps.setString(4, s.legacyUrl());
                ps.setObject(5, part(page.pageUrl()) == null ? null : Integer.valueOf(part(page.pageUrl())));
                ps.setString(6, module(page.pageUrl()));
                ps.setString(7, Vectors.toText(vectors.get(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void insertCurrent(CourseSections page, List<float[]> vectors) {
        String sql = """
                INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, importance,
                    embedding, source, page_url, position, heading_path, content_hash, embedding_model)
                VALUES (?, ?, ?, ?, 'section', ?, ?, 1.0, ?::vector, 'course', ?, 0, ?, md5(?), 'all-minilm-l6-v2-q/384')
                """;
        try (Connection c = current.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < vectors.size(); i++) {
                var s = page.sections().get(i);
                ps.setObject(1, UUID.nameUUIDFromBytes((page.pageUrl() + i).getBytes()));
                ps.setString(2, s.title());
                ps.setString(3, s.content());
                ps.setString(4, s.honestUrl());
                ps.setString(5, part(page.pageUrl()));
                ps.setString(6, module(page.pageUrl()));
                ps.setString(7, Vectors.toText(vectors.get(i)));
                ps.setString(8, page.pageUrl());
                ps.setString(9, s.title() + " #" + i);
                ps.setString(10, s.content());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<CourseSections> pages(Path site) {
        try (Stream<Path> files = Files.walk(site)) {
            List<CourseSections> pages = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().equals("index.html")).sorted().toList()) {
                String dir = site.relativize(f.getParent()).toString().replace('\\', '/');
                String url = baseUrl + "/" + (dir.isEmpty() ? "" : dir + "/");
                pages.add(CourseSections.of(url, Files.readString(f)));
            }
            return pages;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String part(String pageUrl) {
        var m = java.util.regex.Pattern.compile("/part(\\d+)/").matcher(pageUrl);
        return m.find() ? m.group(1) : null;
    }

    private String module(String pageUrl) {
        var m = java.util.regex.Pattern.compile("/part\\d+/([a-z]+)/").matcher(pageUrl);
        return m.find() ? m.group(1) : null;
    }

    static Path demoCourse() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/demo-course"))) {
                return p.resolve("deploy/demo-course").toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("deploy/demo-course not found above " + System.getProperty("user.dir"));
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
