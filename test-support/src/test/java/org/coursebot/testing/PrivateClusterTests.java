package org.coursebot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.coursebot.model.DatabaseUrl;
import org.junit.jupiter.api.Test;

/** Needs the PostgreSQL and pgvector that deploy/local/postgres.sh installs (deploy/local/test.sh runs it first). */
class PrivateClusterTests {

    @Test
    void keepsItsDataAcrossRestartsAndRefusesConnectionsWhileDown() throws SQLException {
        PrivateCluster cluster = PrivateCluster.start();
        try (cluster; TestDatabase db = TestDatabase.create(cluster.adminUrl())) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))");
            db.execute("INSERT INTO items VALUES (1, '[1,2,3]')");

            cluster.stop();
            assertThatThrownBy(db::connect).isInstanceOf(SQLException.class);
            cluster.startAgain();
            assertThat(embeddingOf(db, 1)).isEqualTo("[1,2,3]");

            try (Connection before = db.connect()) {
                long start = System.nanoTime();
                cluster.restart(Duration.ofSeconds(1));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                assertThatThrownBy(() -> before.createStatement().execute("SELECT 1"))
                        .as("the restart ended the session").isInstanceOf(SQLException.class);
            }
            assertThat(embeddingOf(db, 1)).isEqualTo("[1,2,3]");
        }
        cluster.close();
        assertThatThrownBy(() -> connect(cluster.adminUrl())).as("closed: nothing listens on its port")
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(cluster::startAgain).isInstanceOf(IllegalStateException.class);
    }

    private static String embeddingOf(TestDatabase db, int id) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT embedding::text FROM items WHERE id = " + id)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static Connection connect(String url) throws SQLException {
        DatabaseUrl parsed = DatabaseUrl.parse("url", url);
        Properties credentials = new Properties();
        credentials.setProperty("user", parsed.user());
        credentials.setProperty("password", parsed.password());
        return new org.postgresql.Driver().connect(parsed.jdbcUrl(), credentials);
    }
}
