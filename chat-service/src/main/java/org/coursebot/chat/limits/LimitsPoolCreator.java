package org.coursebot.chat.limits;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The limits' pool: the database ends a check that takes longer than {@code coursebot.rate-limit.shared-timeout}
 * ({@code statement_timeout}, so a stuck row lock cannot pile up checks), a connection attempt gives up after 2 s,
 * and at most 256 checks wait for a connection: past that they fail at once and count in the process's own buckets.
 * Its transactions commit without waiting for the WAL to reach the disk ({@code synchronous_commit=off}): a refusal
 * writes the day's counters (a logged table) while it holds its client's bucket, and waiting for a flush there
 * queued a scripted client's requests behind each other (120 at once took over 2 s on a busy machine,
 * SharedLimitsTests). A crash of PostgreSQL may lose the last fraction of a second of counts and spend; the buckets
 * (UNLOGGED) are emptied by a crash anyway.
 */
@Singleton
@ReactiveDataSource(LimitsDatabaseUrlConfigSource.DATASOURCE)
public class LimitsPoolCreator implements PgPoolCreator {

    private final RateLimitConfig config;

    public LimitsPoolCreator(RateLimitConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        String timeout = "-c statement_timeout=" + Math.max(1, config.sharedTimeout().toMillis())
                + " -c synchronous_commit=off";
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            String given = options.getProperties().get("options");
            options.addProperty("options", given == null || given.isBlank() ? timeout : given + " " + timeout);
            options.setConnectTimeout(2_000);
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions().setMaxWaitQueueSize(256));
    }
}
