package org.coursebot.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.coursebot.model.DatabaseUrl;
import org.junit.jupiter.api.Test;

class DatabaseConnectOptionsTests {

    private static PgConnectOptions options(String url) {
        return DatabaseConnectOptions.of(DatabaseUrl.parse("U", url));
    }

    @Test
    void connectsWhereAndAsWhomTheUrlSays() {
        PgConnectOptions options = options("postgres://postgres.abcd:p%40ss@aws-0-eu.pooler.supabase.com:6543/postgres");
        assertThat(options.getHost()).isEqualTo("aws-0-eu.pooler.supabase.com");
        assertThat(options.getPort()).isEqualTo(6543);
        assertThat(options.getDatabase()).isEqualTo("postgres");
        assertThat(options.getUser()).isEqualTo("postgres.abcd");
        assertThat(options.getPassword()).isEqualTo("p@ss");
    }

    @Test
    void requireEncryptsWithoutVerifyingTheCertificate() {
        PgConnectOptions options = options("postgres://w:pw@db/app?sslmode=require");
        assertThat(options.getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(options.isTrustAll()).isTrue();
    }

    @Test
    void verifyModesEncryptAndTrustOnlyKnownCertificates() {
        for (String mode : List.of("verify-ca", "verify-full")) {
            PgConnectOptions options = options("postgres://w:pw@db/app?sslmode=" + mode);
            assertThat(options.getSslMode()).as(mode).isEqualTo(SslMode.REQUIRE);
            assertThat(options.isTrustAll()).as(mode).isFalse();
        }
    }

    @Test
    void modesThatDoNotInsistLeaveTheConnectionUnencrypted() {
        for (String url : List.of("postgres://w:pw@db/app", "postgres://w:pw@db/app?sslmode=disable",
                "postgres://w:pw@db/app?sslmode=allow", "postgres://w:pw@db/app?sslmode=prefer")) {
            PgConnectOptions options = options(url);
            assertThat(options.getSslMode()).as(url).isEqualTo(SslMode.DISABLE);
            assertThat(options.isTrustAll()).as(url).isFalse();
        }
    }
}
