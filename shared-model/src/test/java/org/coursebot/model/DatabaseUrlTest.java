package org.coursebot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void parsesRenderStyleUrl() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://cb_user:s3cret@dpg-abc.oregon-postgres.render.com:5432/coursebot_db");
        assertThat(url.host()).isEqualTo("dpg-abc.oregon-postgres.render.com");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.database()).isEqualTo("coursebot_db");
        assertThat(url.user()).isEqualTo("cb_user");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://dpg-abc.oregon-postgres.render.com:5432/coursebot_db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://dpg-abc.oregon-postgres.render.com:5432/coursebot_db");
    }

    @Test
    void parsesSupabaseStyleUrlWithSslModeAndNoPort() {
        DatabaseUrl url = DatabaseUrl.parse("LEGACY_DATABASE_URL", "postgres://postgres.abcd:p%40ss%2Fw0rd@aws-0-eu.pooler.supabase.com/postgres?sslmode=require");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.password()).isEqualTo("p@ss/w0rd");
        assertThat(url.user()).isEqualTo("postgres.abcd");
        assertThat(url.sslMode()).isEqualTo("require");
        assertThat(url.jdbcUrl()).endsWith("/postgres?sslmode=require");
        assertThat(url.reactiveUrl()).doesNotContain("sslmode");
    }

    @Test
    void acceptsUrlWithoutCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://localhost:5433/coursebot");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://u:topsecret@h:1/d");
        assertThat(url.toString()).doesNotContain("topsecret").contains("u:***@h:1/d");
    }

    @Test
    void rejectsMalformedUrlsNamingTheVariableButNotThePassword() {
        for (String bad : List.of("", "   ", "mysql://u:topsecret@h/d", "postgresql://u:topsecret@/d",
                "postgresql://u:topsecret@h:5432", "postgresql://u:topsecret@h:5432/", "not a url at all", "postgresql://u:topsecret@h:5432/a/b")) {
            assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DATABASE_URL")
                    .hasMessageNotContaining("topsecret");
        }
    }

    @Test
    void configSourceMapsCredentialsAndSslOntoQuarkusKeys() {
        Map<String, String> p = DatabaseUrlConfigSource.map(List.of("CHAT_DATABASE_URL", "DATABASE_URL"), true,
                Map.of("DATABASE_URL", "postgres://w:pw@db:6543/app?sslmode=require"));
        assertThat(p).containsEntry("quarkus.datasource.reactive.url", "postgresql://db:6543/app")
                .containsEntry("quarkus.datasource.username", "w")
                .containsEntry("quarkus.datasource.password", "pw")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:6543/app?sslmode=require")
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "require")
                .containsEntry("quarkus.datasource.reactive.trust-all", "true");
    }

    @Test
    void onlyModesThatInsistOnEncryptionRequireSslAndOnlyRequireTrustsAnyCertificate() {
        for (String mode : List.of("disable", "allow", "prefer")) {
            assertThat(DatabaseUrl.parse("U", "postgres://w@db/app?sslmode=" + mode).requiresSsl()).as(mode).isFalse();
        }
        assertThat(DatabaseUrl.parse("U", "postgres://w@db/app").requiresSsl()).isFalse();
        DatabaseUrl require = DatabaseUrl.parse("U", "postgres://w@db/app?sslmode=require");
        DatabaseUrl verify = DatabaseUrl.parse("U", "postgres://w@db/app?sslmode=verify-full");
        assertThat(require.requiresSsl()).isTrue();
        assertThat(require.trustsAnyCertificate()).isTrue();
        assertThat(verify.requiresSsl()).isTrue();
        assertThat(verify.trustsAnyCertificate()).isFalse();
    }

    @Test
    void configSourcePrefersTheFirstVariableSetAndMapsNoJdbcForChat() {
        Map<String, String> p = DatabaseUrlConfigSource.map(List.of("CHAT_DATABASE_URL", "DATABASE_URL"), false,
                Map.of("DATABASE_URL", "postgres://w:pw@db/app", "CHAT_DATABASE_URL", "postgres://r:rpw@db/app"));
        assertThat(p).containsEntry("quarkus.datasource.username", "r")
                .doesNotContainKey("quarkus.datasource.jdbc.url")
                .doesNotContainKey("quarkus.datasource.reactive.postgresql.ssl-mode");
    }

    @Test
    void configSourceMapsANamedDatasourceUnderItsName() {
        Map<String, String> p = DatabaseUrlConfigSource.map(List.of("INSIGHTS_DATABASE_URL"), "insights", false,
                Map.of("INSIGHTS_DATABASE_URL", "postgres://i:ipw@db:6543/app?sslmode=require",
                        "DATABASE_URL", "postgres://w:pw@db/app"));
        assertThat(p).containsOnlyKeys("quarkus.datasource.insights.reactive.url", "quarkus.datasource.insights.username",
                        "quarkus.datasource.insights.password", "quarkus.datasource.insights.reactive.postgresql.ssl-mode",
                        "quarkus.datasource.insights.reactive.trust-all")
                .containsEntry("quarkus.datasource.insights.reactive.url", "postgresql://db:6543/app")
                .containsEntry("quarkus.datasource.insights.username", "i");
    }

    @Test
    void configSourceMapsNothingWhenNoVariableIsSet() {
        assertThat(DatabaseUrlConfigSource.map(List.of("DATABASE_URL"), true, Map.of())).isEmpty();
    }
}
