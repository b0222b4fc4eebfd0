package org.coursebot.chat.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.coursebot.chat.privacy.ClientKeys;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared buckets and budget on a real PostgreSQL, as two processes would use them: two limiters (or ledgers),
 * each with its own pool, one database, requests sent to both at once. The invariants are the (32): one
 * limit in total, not one per process; a budget never exceeded; a database that does not answer means each process's
 * own limits, never none and never refusing everyone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedLimitsTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.Optional<String> SECRET = java.util.Optional.of("one secret on every instance");

    TestDatabase database;
    Vertx vertx;
    final List<PgPool> pools = new ArrayList<>();

    @BeforeAll
    void database() {
        database = TestDatabase.create().migrate(384);
        vertx = Vertx.vertx();
    }

    @AfterAll
    void close() {
        pools.forEach(PgPool::closeAndAwait);
        vertx.closeAndAwait();
        database.close();
    }

    @Test
    void twoProcessesShareOneBucketPerClient() {
        ClientRateLimiter a = limiter(pool(), true);
        ClientRateLimiter b = limiter(pool(), true);
        String client = "203.0.113." + ThreadLocalRandom.current().nextInt(256);

        // 120 requests at once, half to each process: the burst (10) in total, as one process alone would allow.
        int allowed = allowed(a, b, client, 120);

        assertThat(allowed).isEqualTo(10);
        assertThat(database.queryString("SELECT count(*) FROM rate_bucket")).as("one bucket, named by a hash")
                .isEqualTo("1");
        assertThat(database.queryString("SELECT key FROM rate_bucket")).doesNotContain("203.0.113");
        assertThat(database.queryString("SELECT refused_requests FROM limit_day")).isEqualTo("110");
        assertThat(database.queryString("SELECT limited_clients FROM limit_day")).isEqualTo("1");
    }

    @Test
    void processesThatCountAloneAllowOneLimitEach() {
        ClientRateLimiter a = limiter(pool(), false);
        ClientRateLimiter b = limiter(pool(), false);

        assertThat(allowed(a, b, "198.51.100.1", 120)).as("what sharing prevents").isEqualTo(20);
    }

    @Test
    void aDatabaseThatDoesNotAnswerLeavesEachProcessItsOwnLimit() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientRateLimiter gone = limiter(closedPool(), true, registry);

        List<OptionalLong> said = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            said.add(gone.take("192.0.2.44", 1, 10).await().atMost(WAIT));
        }

        assertThat(said.stream().filter(OptionalLong::isEmpty)).as("the process's own burst: neither none nor all")
                .hasSize(10);
        assertThat(registry.get("coursebot.rate.limit.fallback").counter().count()).isEqualTo(30);
    }

    @Test
    void twoProcessesNeverSpendMoreThanTheBudget() {
        SpendLedger a = ledger(pool());
        SpendLedger b = ledger(pool());
        BigDecimal cost = new BigDecimal("0.30");
        BigDecimal budget = new BigDecimal("10.00");

        List<Uni<SpendLedger.Grant>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add((i % 2 == 0 ? a : b).reserve("course-a", cost, budget));
        }
        List<SpendLedger.Grant> grants = Uni.join().all(all).andFailFast().await().atMost(WAIT);

        assertThat(grants.stream().filter(SpendLedger.Grant::granted)).hasSize(33);
        assertThat(new BigDecimal(database.queryString("SELECT spent_usd FROM answer_spend WHERE course = 'course-a'")))
                .isEqualByComparingTo("9.90");
        assertThat(database.queryString("SELECT budget_downgrades FROM answer_spend WHERE course = 'course-a'"))
                .isEqualTo("17");

        // Each answer used a third of what it reserved: two thirds of each come back.
        for (SpendLedger.Grant grant : grants) {
            (grant.granted() ? a : b).settle(grant, new BigDecimal("0.10"));
        }
        awaitSpent("course-a", new BigDecimal("3.30"));
    }

    @Test
    void aLedgerAloneStillKeepsTheBudget() {
        SpendLedger alone = ledger(closedPool());
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += alone.reserve("course-b", new BigDecimal("0.40"), BigDecimal.ONE).await().atMost(WAIT).granted() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(2);
    }

    private void awaitSpent(String course, BigDecimal expected) {
        long limit = System.nanoTime() + WAIT.toNanos();
        String sql = "SELECT spent_usd FROM answer_spend WHERE course = '" + course + "'";
        while (System.nanoTime() < limit && new BigDecimal(database.queryString(sql)).compareTo(expected) != 0) {
            sleep(50);
        }
        assertThat(new BigDecimal(database.queryString(sql))).isEqualByComparingTo(expected);
    }

    /** Sends {@code n} takes for {@code client} at once, alternating between the two limiters; the allowed ones. */
    private static int allowed(ClientRateLimiter a, ClientRateLimiter b, String client, int n) {
        List<Uni<OptionalLong>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add((i % 2 == 0 ? a : b).take(client, 1, 10));
        }
        return (int) Uni.join().all(all).andFailFast().await().atMost(WAIT).stream().filter(OptionalLong::isEmpty).count();
    }

    private ClientRateLimiter limiter(PgPool pool, boolean shared) {
        return limiter(pool, shared, new SimpleMeterRegistry());
    }

    private ClientRateLimiter limiter(PgPool pool, boolean shared, SimpleMeterRegistry registry) {
        LimitsRepository repository = new LimitsRepository(pool);
        return new ClientRateLimiter(config(shared), repository, store(repository), new ClientKeys(SECRET),
                vertx.getDelegate(), registry);
    }

    private SpendLedger ledger(PgPool pool) {
        LimitsRepository repository = new LimitsRepository(pool);
        return new SpendLedger(repository, store(repository), config(true), new SimpleMeterRegistry());
    }

    private SharedStore store(LimitsRepository repository) {
        return new SharedStore(repository, config(true), vertx.getDelegate(), new SimpleMeterRegistry());
    }

    /** A pool as LimitsPoolCreator makes it (its session settings), over the question log's role. */
    private PgPool pool() {
        PgConnectOptions options = PgConnectOptions.fromUri(database.insightsUrl());
        options.addProperty("options", "-c synchronous_commit=off");
        PgPool pool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(4));
        pools.add(pool);
        return pool;
    }

    /** A pool whose database never answers: nothing listens on its port. */
    private PgPool closedPool() {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        PgPool pool = PgPool.pool(vertx, PgConnectOptions.fromUri("postgresql://coursebot_insights:x@127.0.0.1:" + port
                + "/coursebot"), new PoolOptions().setMaxSize(1));
        pools.add(pool);
        return pool;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RateLimitConfig config(boolean shared) {
        return new RateLimitConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int requestsPerMinute() {
                return 1;
            }

            @Override
            public int burst() {
                return 10;
            }

            @Override
            public int maxClients() {
                return 1000;
            }

            @Override
            public Duration idleExpiry() {
                return Duration.ofMinutes(10);
            }

            @Override
            public boolean shared() {
                return shared;
            }

            @Override
            public Duration sharedTimeout() {
                // Sharing is what is checked here, not latency: 120 takes of one bucket at once wait for each other,
                // and a busy machine must not turn them into fallbacks.
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration fallbackRetry() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
