package org.coursebot.chat.limits;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The shared limits' statements (their SQL functions are in ingest-service's V9 migration), each one round trip
 * through the {@code limits} datasource ({@link LimitsPoolCreator}).
 */
@ApplicationScoped
class LimitsRepository {

    static final String TAKE = "SELECT allowed, wait_seconds FROM coursebot_take_token($1, $2, $3)";
    static final String FORGET_IDLE = "SELECT coursebot_forget_idle_buckets($1::interval)";
    static final String RESERVE = "SELECT reserved, spent FROM coursebot_reserve_spend($1, $2, $3)";
    static final String SETTLE = "SELECT coursebot_settle_spend($1, $2, $3)";
    static final String PING = "SELECT 1";

    /** What a take from a shared bucket said: allowed, or the seconds until a token is back. */
    record Take(boolean allowed, double waitSeconds) {
    }

    /** What a reservation of budget said, and the day's spend of its course after it. */
    record Reservation(boolean reserved, BigDecimal spent) {
    }

    /** Null when the datasource is inactive: neither LIMITS_DATABASE_URL nor INSIGHTS_DATABASE_URL is set. */
    private final Pool pool;

    @Inject
    LimitsRepository(@ReactiveDataSource(LimitsDatabaseUrlConfigSource.DATASOURCE) InjectableInstance<Pool> pool) {
        this(pool.listActive().isEmpty() ? null : pool.listActive().get(0));
    }

    /** @param pool the limits' pool, or null for none */
    LimitsRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether there is a database to share the limits through. */
    boolean connected() {
        return pool != null;
    }

    Uni<Void> ping() {
        return pool.query(PING).execute().replaceWithVoid();
    }

    Uni<Take> take(String bucket, int capacity, int perMinute) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(bucket, capacity, perMinute))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Take(row.getBoolean("allowed"), row.getDouble("wait_seconds"));
                });
    }

    Uni<Integer> forgetIdle(Duration idle) {
        return pool.preparedQuery(FORGET_IDLE).execute(Tuple.of(idle.toSeconds() + " seconds"))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    Uni<Reservation> reserve(String course, BigDecimal costUsd, BigDecimal budgetUsd) {
        return pool.preparedQuery(RESERVE).execute(Tuple.of(course, costUsd, budgetUsd))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Reservation(row.getBoolean("reserved"), row.getBigDecimal("spent"));
                });
    }

    Uni<Void> settle(LocalDate day, String course, BigDecimal unusedUsd) {
        return pool.preparedQuery(SETTLE).execute(Tuple.of(day, course, unusedUsd)).replaceWithVoid();
    }
}
