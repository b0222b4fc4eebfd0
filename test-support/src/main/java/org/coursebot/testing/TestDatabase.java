package org.coursebot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.coursebot.model.DatabaseUrl;
import org.flywaydb.core.Flyway;

/**
 * A database of its own for one test class, created in the cluster that {@code COURSEBOT_TEST_DATABASE_URL}
 * names (deploy/local/test.sh sets it from deploy/local/postgres.sh) and dropped afterwards, so tests never
 * touch a running system's data nor each other's.
 */
public final class TestDatabase implements AutoCloseable {

    /** The variable the test command sets; a URL of a role that may create databases. */
    public static final String ADMIN_URL_VARIABLE = "COURSEBOT_TEST_DATABASE_URL";
    /** Optional: the read-only role's URL in the same cluster (default: coursebot_chat with the local password). */
    public static final String CHAT_URL_VARIABLE = "COURSEBOT_TEST_CHAT_DATABASE_URL";
    /** Optional: the question log role's URL (default: coursebot_insights with the local password). */
    public static final String INSIGHTS_URL_VARIABLE = "COURSEBOT_TEST_INSIGHTS_DATABASE_URL";

    private final DatabaseUrl admin;
    private final String name;

    private TestDatabase(DatabaseUrl admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** Creates an empty database (with the vector extension, which the local cluster keeps in template1). */
    public static TestDatabase create() {
        String url = System.getenv(ADMIN_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(ADMIN_URL_VARIABLE + " is not set: run the tests with deploy/local/test.sh,"
                    + " or set it to a PostgreSQL URL of a role that may create databases");
        }
        return create(DatabaseUrl.parse(ADMIN_URL_VARIABLE, url));
    }

    /**
     * Creates an empty database in the cluster {@code adminUrl} names (a role that may create databases), such
     * as a {@link PrivateCluster}'s.
     */
    public static TestDatabase create(String adminUrl) {
        return create(DatabaseUrl.parse("adminUrl", adminUrl));
    }

    private static TestDatabase create(DatabaseUrl admin) {
        String name = "cb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(admin, admin.database()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database in " + admin + ": " + e.getMessage(), e);
        }
        TestDatabase db = new TestDatabase(admin, name);
        db.execute("CREATE EXTENSION IF NOT EXISTS vector");
        return db;
    }

    /**
     * Applies ingest-service's migrations (the real files) with the given embedding dimension: its first space is the
     * local model at 384, else OpenAI's text-embedding-3-small (or, at another dimension, a model named for it).
     */
    public TestDatabase migrate(int embeddingDimension) {
        Flyway.configure()
                .dataSource(jdbcUrl(), admin.user(), admin.password())
                .locations("filesystem:" + migrationsFolder())
                .placeholders(placeholders(embeddingDimension))
                .load()
                .migrate();
        return this;
    }

    /** The migrations' placeholders for a database whose first space has this dimension. */
    public static Map<String, String> placeholders(int embeddingDimension) {
        boolean local = embeddingDimension == 384;
        String model = local ? "all-minilm-l6-v2-q"
                : embeddingDimension == 1536 ? "text-embedding-3-small" : "test-embedding-" + embeddingDimension;
        return Map.of("embedding_dimension", String.valueOf(embeddingDimension), "embedding_model", model,
                "embedding_provider", local ? "local" : "openai",
                "chat_role", "coursebot_chat", "insights_role", "coursebot_insights", "text_search_config", "english");
    }

    /** ingest-service owns the schema; tests of other modules find its migrations beside them in the checkout. */
    public static Path migrationsFolder() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("ingest-service/src/main/resources/db/migration");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("ingest-service/src/main/resources/db/migration not found above " + dir);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return new DatabaseUrl(admin.host(), admin.port(), name, null, null, Map.of()).jdbcUrl();
    }

    /** {@code postgresql://user:pass@host:port/name}, as DATABASE_URL would give it. */
    public String url() {
        return urlFor(admin.user(), admin.password());
    }

    /** The same database as the read-only chat role. */
    public String chatUrl() {
        String configured = System.getenv(CHAT_URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            DatabaseUrl chat = DatabaseUrl.parse(CHAT_URL_VARIABLE, configured);
            return urlFor(chat.user(), chat.password());
        }
        return urlFor("coursebot_chat", "coursebot_chat");
    }

    /** The same database as the question log's role (INSERT on the log tables only). */
    public String insightsUrl() {
        String configured = System.getenv(INSIGHTS_URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            DatabaseUrl insights = DatabaseUrl.parse(INSIGHTS_URL_VARIABLE, configured);
            return urlFor(insights.user(), insights.password());
        }
        return urlFor("coursebot_insights", "coursebot_insights");
    }

    private String urlFor(String user, String password) {
        return String.format(Locale.ROOT, "postgresql://%s:%s@%s:%d/%s", user, password, admin.host(), admin.port(), name);
    }

    public String user() {
        return admin.user();
    }

    public String password() {
        return admin.password();
    }

    /** Quarkus datasource keys pointing a service at this database as the writer. */
    public Map<String, String> quarkusConfig() {
        return quarkusConfig(admin.user(), admin.password(), true);
    }

    /** Quarkus datasource keys for the given role; {@code jdbc} only for ingest-service. */
    public Map<String, String> quarkusConfig(String user, String password, boolean jdbc) {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", "postgresql://" + admin.host() + ":" + admin.port() + "/" + name);
        config.put("quarkus.datasource.username", user);
        config.put("quarkus.datasource.password", password);
        if (jdbc) {
            config.put("quarkus.datasource.jdbc.url", jdbcUrl());
        }
        return config;
    }

    public Connection connect() throws SQLException {
        return connect(admin, name);
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row (null when there is none), as text. */
    public String queryString(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(DatabaseUrl url, String database) throws SQLException {
        String jdbc = new DatabaseUrl(url.host(), url.port(), database, null, null, url.parameters()).jdbcUrl();
        // The driver itself, not DriverManager: after a first @QuarkusTest app stopped, DriverManager only knows
        // the driver of that app's (closed) class loader and finds no suitable driver for the next test class.
        Properties credentials = new Properties();
        if (url.user() != null) {
            credentials.setProperty("user", url.user());
        }
        if (url.password() != null) {
            credentials.setProperty("password", url.password());
        }
        return new org.postgresql.Driver().connect(jdbc, credentials);
    }

    /**
     * Drops the database. FORCE ends the sessions of this role, but not an autovacuum worker that a big delete
     * may have started in it (SQLSTATE 42501 for a role that may not signal it): that one is waited out.
     */
    @Override
    public void close() {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect(admin, admin.database()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                return;
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState()) || attempt >= 40) {
                    throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dropping test database " + name, e);
            }
        }
    }
}
