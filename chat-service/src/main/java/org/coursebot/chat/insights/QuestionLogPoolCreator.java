package org.coursebot.chat.insights;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The question log's pool, as Quarkus configures the {@code insights} datasource, with what it has no key for:
 * <ul>
 * <li>the database itself ends a write that takes longer than {@code coursebot.insights.write-timeout}
 * ({@code statement_timeout}): the batch is rolled back whole, so what is counted as failed was really not
 * written;</li>
 * <li>a connection attempt gives up after 5 s and at most 4 writes wait for the one connection: a log database that is
 * gone costs the log, never the answers, and never more than a few batches of memory.</li>
 * </ul>
 */
@Singleton
@ReactiveDataSource(InsightsDatabaseUrlConfigSource.DATASOURCE)
public class QuestionLogPoolCreator implements PgPoolCreator {

    private final InsightsConfig config;

    public QuestionLogPoolCreator(InsightsConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        String timeout = "-c statement_timeout=" + Math.max(1, config.writeTimeout().toMillis());
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            String given = options.getProperties().get("options");
            options.addProperty("options", given == null || given.isBlank() ? timeout : given + " " + timeout);
            options.setConnectTimeout(5_000);
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions().setMaxWaitQueueSize(4));
    }
}
