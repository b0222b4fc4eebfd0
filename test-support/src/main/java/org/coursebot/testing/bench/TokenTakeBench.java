package org.coursebot.testing.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.testing.TestDatabase;
import org.flywaydb.core.Flyway;

/**
 * deploy/bench/bucket4j-bench.sh's JVM: takes one token per operation from a shared bucket in PostgreSQL, one way per
 * process so that each process's memory is that way's, for keys drawn from {@code --clients} at random, with limits
 * no operation reaches. Ways: {@code bucket4j} (Bucket4j's {@code PostgreSQLSelectForUpdateBasedProxyManager} over a
 * HikariCP pool, table {@code bucket} as its docs create it; {@code bucket4j-unlogged}: the same on an UNLOGGED
 * table, as {@code rate_bucket} is), {@code jdbc} ({@code coursebot_take_token} over the same kind of pool),
 * {@code reactive} (the same statement over the Vert.x PostgreSQL client as chat-service's {@code LimitsRepository}
 * sends it, prepared statements cached as Quarkus does for PostgreSQL), {@code none} (the JVM alone). With
 * {@code --beside-reactive URL} a JDBC way runs beside an open Vert.x pool, as it would in chat-service. Also
 * {@code migrate URL}: ingest-service's migrations, with test-support's placeholders.
 *
 * <p>Prints one line of {@code name=value} pairs: operations, p50/p99, round trips per operation (counted at the
 * JDBC API for the JDBC ways; one query per take for the reactive one), refused takes (must be 0), loaded classes,
 * heap used after a full GC and the process's VmHWM.
 */
public final class TokenTakeBench {

    static final String TAKE_JDBC = "SELECT allowed, wait_seconds FROM coursebot_take_token(?, ?, ?)";
    /** chat-service's LimitsRepository.TAKE. */
    static final String TAKE_REACTIVE = "SELECT allowed, wait_seconds FROM coursebot_take_token($1, $2, $3)";
    /** Capacity and refill per minute no run comes near: every take is allowed and pays the whole check. */
    static final int HUGE = 1_000_000_000;

    /** A blocking take for one client; true when allowed. */
    private interface BlockingTake {
        boolean take(int client) throws Exception;
    }

    private TokenTakeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("migrate")) {
            migrate(DatabaseUrl.parse("URL", args[1]));
            return;
        }
        Map<String, String> options = options(args);
        String way = options.getOrDefault("way", "none");
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "1000"));
        int pool = Integer.parseInt(options.getOrDefault("pool", "16"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "3")));
        boolean prime = options.containsKey("prime");
        if (way.equals("none")) {
            report(way, threads, 0, 0, 0, new LatencyHistogram(), 0, 0);
            return;
        }
        DatabaseUrl url = DatabaseUrl.parse("--url", options.get("url"));
        List<String> keys = keys(clients);
        if (way.equals("reactive")) {
            runReactive(url, pool, prime ? pool : threads, keys, prime, warmup, duration);
            return;
        }
        // chat-service carries the reactive client anyway: a JDBC way beside it shows what the JDBC stack adds there.
        AutoCloseable beside = options.containsKey("beside-reactive")
                ? reactiveBeside(DatabaseUrl.parse("--beside-reactive", options.get("beside-reactive")), keys) : () -> { };
        HikariDataSource hikari = hikari(url, pool);
        CountingDataSource counted = new CountingDataSource(hikari);
        BlockingTake take = switch (way) {
            case "bucket4j" -> bucket4j(counted, "bucket");
            case "bucket4j-unlogged" -> bucket4j(counted, "bucket_unlogged");
            case "jdbc" -> client -> jdbcTake(counted, keys.get(client));
            default -> throw new IllegalArgumentException("--way none|bucket4j|bucket4j-unlogged|jdbc|reactive: " + way);
        };
        try {
            runBlocking(way, take, counted, prime ? pool : threads, clients, prime, warmup, duration);
        } finally {
            hikari.close();
            beside.close();
        }
    }

    /** A Vert.x pool of 4 (chat-service's limits pool) that has taken a few hundred tokens, left open. */
    private static AutoCloseable reactiveBeside(DatabaseUrl url, List<String> keys) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgPool.pool(vertx, connectOptions(url), new PoolOptions().setMaxSize(4));
        for (int i = 0; i < 400; i++) {
            take(pool, keys.get(i % keys.size())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return () -> {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        };
    }

    /** As Quarkus connects a reactive PostgreSQL datasource: prepared statements cached per connection. */
    private static PgConnectOptions connectOptions(DatabaseUrl url) {
        return PgConnectOptions.fromUri(url.reactiveUrl())
                .setUser(url.user())
                .setPassword(url.password())
                .setCachePreparedStatements(true);
    }

    private static void migrate(DatabaseUrl url) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("filesystem:" + TestDatabase.migrationsFolder())
                .placeholders(TestDatabase.placeholders(384))
                .load()
                .migrate();
    }

    private static HikariDataSource hikari(DatabaseUrl url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(size);
        config.setPoolName("bench");
        return new HikariDataSource(config);
    }

    /** Bucket4j's PostgreSQL integration as its docs show it, with buckets forgotten once full again (10 min). */
    private static BlockingTake bucket4j(DataSource dataSource, String table) {
        ProxyManager<Long> proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .table(table)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(10)))
                .build();
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(HUGE).refillGreedy(HUGE, Duration.ofMinutes(1)))
                .build();
        return client -> proxies.builder().build((long) client, () -> configuration).tryConsume(1);
    }

    private static boolean jdbcTake(DataSource dataSource, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TAKE_JDBC)) {
            statement.setString(1, key);
            statement.setInt(2, HUGE);
            statement.setInt(3, HUGE);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /** N threads taking for random clients; priming takes once for every client instead, spread over the threads. */
    private static void runBlocking(String way, BlockingTake take, CountingDataSource counted, int threads, int clients,
            boolean prime, Duration warmup, Duration duration) throws Exception {
        LongAdder refused = new LongAdder();
        AtomicReference<Exception> failure = new AtomicReference<>();
        if (prime) {
            AtomicLong next = new AtomicLong();
            inThreads(threads, () -> {
                for (long c = next.getAndIncrement(); c < clients; c = next.getAndIncrement()) {
                    count(take.take((int) c), refused);
                }
            }, failure);
            report(way + "-prime", threads, clients, clients, 0, new LatencyHistogram(), (double) counted.sent() / clients,
                    refused.sum());
            return;
        }
        LatencyHistogram warm = new LatencyHistogram();
        LatencyHistogram timed = new LatencyHistogram();
        long start = System.nanoTime();
        long timedFrom = start + warmup.toNanos();
        long end = timedFrom + duration.toNanos();
        inThreads(threads, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long now = System.nanoTime(); now < end; ) {
                boolean allowed = take.take(random.nextInt(clients));
                long after = System.nanoTime();
                (now < timedFrom ? warm : timed).record(after - now);
                if (now >= timedFrom) {
                    count(allowed, refused);
                }
                now = after;
            }
        }, failure);
        long ops = timed.count();
        long warmOps = warm.count();
        // Every take of this process, warm-up included, is of a primed bucket: the same work.
        double sentPerOp = ops + warmOps == 0 ? 0 : (double) counted.sent() / (ops + warmOps);
        report(way, threads, ops, ops + warmOps, duration.toNanos(), timed, sentPerOp, refused.sum());
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void inThreads(int threads, Work work, AtomicReference<Exception> failure) throws Exception {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "take-" + i);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void count(boolean allowed, LongAdder refused) {
        if (!allowed) {
            refused.increment();
        }
    }

    /** {@code inFlight} takes in flight at all times, each one sending the next when its answer comes. */
    private static void runReactive(DatabaseUrl url, int size, int inFlight, List<String> keys, boolean prime,
            Duration warmup, Duration duration) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgPool.pool(vertx, connectOptions(url), new PoolOptions().setMaxSize(size));
        try {
            LatencyHistogram warm = new LatencyHistogram();
            LatencyHistogram timed = new LatencyHistogram();
            LongAdder refused = new LongAdder();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            long timedFrom = prime ? start : start + warmup.toNanos();
            long end = prime ? Long.MAX_VALUE : timedFrom + duration.toNanos();
            CountDownLatch done = new CountDownLatch(inFlight);
            for (int i = 0; i < inFlight; i++) {
                new Object() {
                    void send() {
                        long now = System.nanoTime();
                        int client = prime ? (int) next.getAndIncrement() : ThreadLocalRandom.current().nextInt(keys.size());
                        if (now >= end || client >= keys.size() || failure.get() != null) {
                            done.countDown();
                            return;
                        }
                        take(pool, keys.get(client)).onComplete(result -> {
                            (now < timedFrom ? warm : timed).record(System.nanoTime() - now);
                            if (result.failed()) {
                                failure.compareAndSet(null, result.cause());
                            } else if (now >= timedFrom) {
                                count(result.result(), refused);
                            }
                            send();
                        });
                    }
                }.send();
            }
            if (!done.await(duration.plus(warmup).toSeconds() + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("reactive takes did not finish");
            }
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            long ops = timed.count();
            // One query per take, prepared once per connection (cached): one round trip each.
            report(prime ? "reactive-prime" : "reactive", inFlight, ops, ops + warm.count(),
                    prime ? 0 : duration.toNanos(), prime ? new LatencyHistogram() : timed, ops == 0 ? 0 : 1, refused.sum());
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Future<Boolean> take(Pool pool, String key) {
        return pool.preparedQuery(TAKE_REACTIVE).execute(Tuple.of(key, HUGE, HUGE))
                .map(rows -> rows.iterator().next().getBoolean("allowed"));
    }

    /** Keys shaped like chat-service's (ClientKeys: 22 characters of URL-safe Base64), one per client. */
    private static List<String> keys(int clients) {
        List<String> keys = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            byte[] bytes = new byte[16];
            new java.util.Random(i).nextBytes(bytes);
            keys.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 22));
        }
        return keys;
    }

    private static void report(String way, int threads, long ops, long allOps, long nanos, LatencyHistogram latencies,
            double sentPerOp, long refused) throws Exception {
        System.gc();
        long heapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        System.out.println(String.format(Locale.ROOT,
                "way=%s threads=%d ops=%d all_ops=%d ops_per_s=%.1f p50_ms=%.2f p99_ms=%.2f round_trips_per_op=%.2f"
                        + " refused=%d classes=%d heap_after_gc_kb=%d vmhwm_kb=%d",
                way, threads, ops, allOps, nanos == 0 ? 0 : ops * 1e9 / nanos, latencies.quantileMillis(0.5),
                latencies.quantileMillis(0.99), sentPerOp, refused, classes, heapKb, vmHwmKb()));
    }

    private static long vmHwmKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("prime")) { // the only flag without a value
                options.put(name, "true");
            } else {
                options.put(name, args[++i]);
            }
        }
        return options;
    }
}
