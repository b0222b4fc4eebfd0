package org.coursebot.common;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.coursebot.model.DatabaseUrl;

/**
 * Vert.x connect options for a pool a service opens itself beside Quarkus's datasource (the question log's writer,
 * the old database's reader). SSL follows the URL's {@code sslmode} as {@link DatabaseUrl} reads it, which is how
 * {@code DatabaseUrlConfigSource} sets up the datasource, so a URL connects the same way in every pool. The caller adds
 * what is its own: timeouts, session settings, an application name.
 */
public final class DatabaseConnectOptions {

    private DatabaseConnectOptions() {
    }

    /** Where and as whom {@code url} connects, encrypted when its {@code sslmode} insists. */
    public static PgConnectOptions of(DatabaseUrl url) {
        PgConnectOptions options = new PgConnectOptions().setHost(url.host()).setPort(url.port())
                .setDatabase(url.database()).setUser(url.user()).setPassword(url.password());
        if (url.requiresSsl()) {
            options.setSslMode(SslMode.REQUIRE).setTrustAll(url.trustsAnyCertificate());
        }
        return options;
    }
}
