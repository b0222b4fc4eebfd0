package org.coursebot.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.testing.CourseGenerator;
import org.coursebot.testing.CourseSiteServer;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.Failure;
import org.coursebot.testing.FaultPlans;
import org.coursebot.testing.PrivateCluster;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.coursebot.system.ResultTable;
import org.coursebot.system.ServiceProcess;

/**
 * Ingest of a course of real size, to the end, under injected faults: every case compares the database with a
 * clean reference ingest of the same site (chunk ids, content hashes, citation urls, positions, vectors; page
 * rows): nothing missing, nothing duplicated, no page half old and half new. The packaged service runs as a
 * process with the container's JVM flags; the site and the OpenAI API are local servers that inject latency,
 * errors, resets and hangs. Prints the fault table at the end (also in target/fault-table.md). Each case that
 * talks to the fake OpenAI server starts with {@code openAi.reset()}, which clears latency, plans and counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestFaultsTests {

    static final int LARGE_PAGES = 300;
    static final int SLICE_PAGES = 60;
    static final long SEED = 2026;
    static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    Path repo;
    Path largeDir;
    Path sliceDir;
    CourseSiteServer largeSite;
    CourseSiteServer sliceSite;
    CourseGenerator.Course slice;
    FakeOpenAiServer openAi;
    TestDatabase largeReferenceDb;
    TestDatabase sliceReferenceDb;
    CourseSnapshot largeReference;
    CourseSnapshot sliceReference;
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void generateCoursesAndIngestReferences() throws Exception {
        repo = org.coursebot.system.Repository.root();
        largeDir = Files.createTempDirectory("coursebot-large-course");
        sliceDir = Files.createTempDirectory("coursebot-course-slice");
        largeSite = CourseSiteServer.start(largeDir);
        sliceSite = CourseSiteServer.start(sliceDir);
        CourseGenerator.generate(largeDir, LARGE_PAGES, SEED, largeSite.baseUrl());
        slice = CourseGenerator.generate(sliceDir, SLICE_PAGES, SEED, sliceSite.baseUrl());
        openAi = FakeOpenAiServer.start();

        largeReferenceDb = TestDatabase.create();
        largeReference = clean("reference (300 pages)", largeReferenceDb, largeSite);
        sliceReferenceDb = TestDatabase.create();
        sliceReference = clean("reference (60-page slice)", sliceReferenceDb, sliceSite);
        assertThat(largeReference.pages()).as("every page of the large course, index included").hasSizeGreaterThan(LARGE_PAGES);
        assertThat(sliceReference.pages()).hasSizeGreaterThan(SLICE_PAGES);
    }

    private CourseSnapshot clean(String name, TestDatabase db, CourseSiteServer site) throws Exception {
        openAi.reset();
        Case c = new Case(name, site);
        try (IngestProcess ingest = IngestProcess.start(repo, slug(name), db.url(), site.baseUrl(), openAi.baseUrl(), Map.of())) {
            JsonNode run = ingest.ingest(RUN_LIMIT);
            assertThat(run.get("status").asText()).as(ingest.logTail(30)).isEqualTo("succeeded");
            assertThat(run.at("/counts/pagesFailed").asInt()).isZero();
            CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
            c.record(run, snapshot, 0, ingest.peakRssMb());
            return snapshot;
        }
    }

    @Test
    @Order(1)
    void embedderSlowerThanTheCrawl_openAiAnswersIn0_5To3Seconds() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(Duration.ofMillis(500), Duration.ofSeconds(3), SEED);
        assertMatchesReference(new Case("OpenAI latency 0.5-3 s (300 pages)", largeSite), Map.of());
    }

    @Test
    @Order(2)
    void embedderSlowerThanTheCrawl_theRealLocalModel() throws Exception {
        Case c = new Case("local model, offline default (60-page slice)", sliceSite);
        c.openAi = false;
        assertMatchesReference(c, Map.of());
    }

    @Test
    @Order(3)
    void crawlSlowerThanTheEmbedder() throws Exception {
        openAi.reset();
        sliceSite.latency(Duration.ofMillis(50), Duration.ofMillis(250), SEED);
        try {
            assertMatchesReference(new Case("site latency 50-250 ms a page (60-page slice)", sliceSite), Map.of());
        } finally {
            sliceSite.latency(Duration.ZERO, Duration.ZERO, SEED);
        }
    }

    @Test
    @Order(4)
    void rateLimitedWithRetryAfterOnEveryThirdRequest() throws Exception {
        assertMatchesReference(faulty("429 + Retry-After on every 3rd request", FaultPlans.everyNth(3, Failure.rateLimited(1))),
                smallGroups());
    }

    @Test
    @Order(5)
    void burstsOfServerErrors() throws Exception {
        IntFunction<Failure> first = FaultPlans.burst(2, 3);
        IntFunction<Failure> second = FaultPlans.burst(9, 3);
        IntFunction<Failure> bursts = n -> first.apply(n) != null ? first.apply(n) : second.apply(n);
        assertMatchesReference(faulty("bursts of 500/502/503", bursts), smallGroups());
    }

    @Test
    @Order(6)
    void aRequestThatHangsPastTheClientTimeout() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(smallGroups());
        env.put("COURSEBOT_EMBEDDING_REQUEST_TIMEOUT", "2s");
        assertMatchesReference(faulty("a request hangs past the 2 s timeout", n -> n == 2 ? Failure.hang() : null), env);
    }

    @Test
    @Order(7)
    void connectionsResetMidResponse() throws Exception {
        assertMatchesReference(faulty("connection reset mid-response", n -> n == 2 || n == 5 ? Failure.reset() : null),
                smallGroups());
    }

    @Test
    @Order(8)
    void aMalformedJsonBody() throws Exception {
        assertMatchesReference(faulty("malformed JSON body", n -> n == 3 ? Failure.malformed() : null), smallGroups());
    }

    @Test
    @Order(9)
    void a400ForOneInputFailsOnlyItsPage() throws Exception {
        String refused = slice.lessonPages().get(7);
        // A sentence from the middle of that page's first chunk: in no other page's text.
        String marker = firstChunkText(sliceReferenceDb, sliceSite.baseUrl() + refused).substring(40, 100);
        openAi.reset();
        openAi.rejectInputContaining(marker);
        Case c = new Case("400 for one input", sliceSite);
        TestDatabase db = TestDatabase.create();
        try (db; IngestProcess ingest = IngestProcess.start(repo, "faults-400", db.url(), sliceSite.baseUrl(),
                openAi.baseUrl(), smallGroups())) {
            JsonNode run = ingest.ingest(RUN_LIMIT);
            assertThat(run.get("status").asText()).isEqualTo("succeeded");
            assertThat(run.at("/counts/pagesFailed").asInt()).as("only the page with the refused input").isEqualTo(1);
            String failedUrl = run.at("/errors/0/url").asText();
            assertThat(failedUrl).isEqualTo(sliceSite.baseUrl() + refused);
            assertThat(run.at("/errors/0/reason").asText()).contains("400");
            CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
            int differing = snapshot.rowsDifferingFrom(sliceReference, Set.of(failedUrl));
            assertThat(differing).as(snapshot.describeDifference(sliceReference)).isZero();
            assertThat(snapshot.pages()).doesNotContainKey(failedUrl);
            c.record(run, snapshot, differing, ingest.peakRssMb());
        }
    }

    @Test
    @Order(10)
    void postgresRestartedMidRun() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(Duration.ofMillis(400), Duration.ofMillis(800), SEED);
        Case c = new Case("PostgreSQL stopped 3 s and restarted mid-run", sliceSite);
        try (PrivateCluster cluster = PrivateCluster.start(); TestDatabase db = TestDatabase.create(cluster.adminUrl());
                IngestProcess ingest = IngestProcess.start(repo, "faults-pg-restart", db.url(), sliceSite.baseUrl(),
                        openAi.baseUrl(), smallGroups())) {
            long id = ingest.startRun();
            awaitPagesSeen(ingest, id, 10);
            cluster.restart(Duration.ofSeconds(3));
            assertThat(awaitAdvisoryLock(db, ingest, id)).as("the run takes the ingest lock again").isTrue();
            JsonNode run = ingest.awaitFinished(id, RUN_LIMIT);
            assertThat(run.get("status").asText()).as(ingest.logTail(40)).isEqualTo("succeeded");
            assertThat(run.at("/counts/pagesFailed").asInt()).as("retried through the restart").isZero();
            CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
            int differing = snapshot.rowsDifferingFrom(sliceReference);
            assertThat(differing).as(snapshot.describeDifference(sliceReference)).isZero();
            assertThat(ingest.awaitReady(Duration.ofSeconds(15))).as("ready again after the restart").isTrue();
            c.record(run, snapshot, differing, ingest.peakRssMb());
        }
    }

    @Test
    @Order(11)
    void killedWithSigkillMidRunThenStartedAgain() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(Duration.ofMillis(300), Duration.ofMillis(600), SEED);
        Case c = new Case("SIGKILL mid-run, then a new process", sliceSite);
        try (TestDatabase db = TestDatabase.create()) {
            long killedRun;
            try (IngestProcess first = IngestProcess.start(repo, "faults-killed", db.url(), sliceSite.baseUrl(),
                    openAi.baseUrl(), smallGroups())) {
                killedRun = first.startRun();
                awaitPagesSeen(first, killedRun, 20);
                first.kill();
            }
            CourseSnapshot afterKill = CourseSnapshot.read(db.url(), true);
            assertThat(afterKill.pages()).as("the killed run had written some pages").isNotEmpty();
            assertThat(afterKill.rowsDifferingFrom(sliceReference.restrictedTo(afterKill.pages().keySet())))
                    .as("every page written is whole: " + afterKill.describeDifference(sliceReference)).isZero();
            // As if the killed run had stored the lesson pages but not the exercise pages they alone link to:
            // the next run gets 304s for those lesson pages and must still find the exercises.
            forgetExercisePages(db);

            openAi.embeddingLatency(Duration.ZERO, Duration.ZERO, SEED);
            try (IngestProcess second = IngestProcess.start(repo, "faults-after-kill", db.url(), sliceSite.baseUrl(),
                    openAi.baseUrl(), smallGroups())) {
                JsonNode run = second.ingest(RUN_LIMIT);
                JsonNode dead = second.run(killedRun);
                assertThat(dead.get("status").asText()).isEqualTo("failed");
                assertThat(dead.get("reason").asText()).startsWith("died");
                assertThat(dead.get("errors")).as("a run-level reason is not a page error").isEmpty();
                assertThat(dead.at("/counts/pagesSeen").asInt()).as("the counts of its last progress write").isGreaterThanOrEqualTo(10);
                System.out.println("the killed run, as GET /admin/ingest/runs/" + killedRun + " shows it: " + dead);
                assertThat(run.get("status").asText()).isEqualTo("succeeded");
                assertThat(run.at("/counts/pagesUnchanged").asInt()).as("304s for the pages already stored").isPositive();
                CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
                int differing = snapshot.rowsDifferingFrom(sliceReference);
                assertThat(differing).as(snapshot.describeDifference(sliceReference)).isZero();
                c.record(run, snapshot, differing, second.peakRssMb());
            }
        }
    }

    @Test
    @Order(12)
    void twoProcessesOnOneDatabaseTriggeredTogether() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(Duration.ofMillis(100), Duration.ofMillis(300), SEED);
        Case c = new Case("two processes triggered together", sliceSite);
        try (TestDatabase db = TestDatabase.create();
                IngestProcess a = IngestProcess.start(repo, "faults-twin-a", db.url(), sliceSite.baseUrl(), openAi.baseUrl(), smallGroups());
                IngestProcess b = IngestProcess.start(repo, "faults-twin-b", db.url(), sliceSite.baseUrl(), openAi.baseUrl(), smallGroups())) {
            var fromA = CompletableFuture.supplyAsync(() -> trigger(a));
            var fromB = CompletableFuture.supplyAsync(() -> trigger(b));
            List<Integer> statuses = List.of(fromA.get().statusCode(), fromB.get().statusCode());
            assertThat(statuses).containsExactlyInAnyOrder(202, 409);
            IngestProcess runner = fromA.get().statusCode() == 202 ? a : b;
            var started = fromA.get().statusCode() == 202 ? fromA.get() : fromB.get();
            long id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(started.body()).get("runId").asLong();
            JsonNode run = runner.awaitFinished(id, RUN_LIMIT);
            assertThat(run.get("status").asText()).isEqualTo("succeeded");
            assertThat(a.readiness()).isEqualTo(200);
            assertThat(b.readiness()).isEqualTo(200);
            CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
            int differing = snapshot.rowsDifferingFrom(sliceReference);
            assertThat(differing).as(snapshot.describeDifference(sliceReference)).isZero();
            c.record(run, snapshot, differing, Math.max(a.peakRssMb(), b.peakRssMb()));
        }
    }

    @Test
    @Order(13)
    void aSiteThatIsDownFailsTheRunAndSaysWhy() throws Exception {
        String nothingListens = "http://127.0.0.1:" + ServiceProcess.freePort() + "/";
        try (TestDatabase db = TestDatabase.create();
                IngestProcess ingest = IngestProcess.start(repo, "faults-site-down", db.url(), nothingListens,
                        openAi.baseUrl(), Map.of())) {
            JsonNode run = ingest.ingest(RUN_LIMIT);
            System.out.println("a run against a site that is down, as the admin API shows it: " + run);
            assertThat(run.get("status").asText()).isEqualTo("failed");
            assertThat(run.get("reason").asText()).startsWith("nothing crawled").contains("Connection refused");
            assertThat(run.get("errors")).isEmpty();
            assertThat(run.at("/counts/pagesFailed").asInt()).isZero();
            assertThat(ingest.readiness()).isEqualTo(200);
        }
    }

    @Test
    @Order(14)
    void anEmbeddingsApiWhoseHostDoesNotResolveStopsTheRunAtOnce() throws Exception {
        openAi.reset();
        // .invalid never resolves (RFC 6761). The service resolves with the JDK (Quarkus's default), here from a hosts
        // file alone: the name fails at once and no DNS query leaves the machine, whatever the resolver would do.
        Path hosts = Files.writeString(Files.createTempFile("coursebot-hosts", ""), "127.0.0.1 localhost\n");
        hosts.toFile().deleteOnExit();
        assertStopsAndTheNextRunSucceeds(new Case("OpenAI host does not resolve: run stops", sliceSite),
                "http://api.coursebot.invalid/v1", Map.of("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
                "the embeddings API at api.coursebot.invalid cannot be reached:"
                        + " its name does not resolve", 1, Duration.ZERO, Duration.ofSeconds(10));
    }

    @Test
    @Order(15)
    void anEmbeddingsApiThatRefusesTheKeyStopsTheRunAtOnce() throws Exception {
        openAi.reset();
        openAi.faultPlan(n -> Failure.unauthorized());
        String host = java.net.URI.create(openAi.baseUrl()).getAuthority();
        assertStopsAndTheNextRunSucceeds(new Case("OpenAI answers 401: run stops", sliceSite), openAi.baseUrl(), Map.of(),
                "the embeddings API at " + host + " rejected the API key (401)", 1, Duration.ZERO, Duration.ofSeconds(10));
    }

    @Test
    @Order(16)
    void anEmbeddingsApiThatRefusesConnectionsStopsTheRunAfterOneRequestsRetries() throws Exception {
        openAi.reset();
        String nothingListens = "127.0.0.1:" + ServiceProcess.freePort();
        // The deployed policy (6 attempts, doubling waits, 60 s cap, +-20 % jitter) from the suite's first wait: the
        // bound is derived from it, as it would be from the deployed 1 s (31 s of waits +-20 %), with the 20 s of slack
        // the deployed 60 s bound left. One request's retries and no more: the request count pins it, the bound its time.
        Duration initial = Duration.ofMillis(200);
        int attempts = 6;
        Duration waits = retryWaits(attempts, initial, Duration.ofSeconds(60));
        // The next run in the same process opens the circuit (10 failures in a row) and waits out its open duration
        // (30 s deployed) before its last attempt; 5 s here: the same path, that run's time is not what is bounded.
        assertStopsAndTheNextRunSucceeds(new Case("OpenAI refuses connections: run stops", sliceSite),
                "http://" + nothingListens + "/v1", Map.of("COURSEBOT_EMBEDDING_RETRY_INITIAL_BACKOFF", initial.toMillis() + "ms",
                        "COURSEBOT_EMBEDDING_CIRCUIT_OPEN_DURATION", "5s"),
                "the embeddings API at " + nothingListens + " cannot be reached: Connection refused", attempts,
                waits.multipliedBy(8).dividedBy(10), waits.multipliedBy(12).dividedBy(10).plus(Duration.ofSeconds(20)));
    }

    /** The waits between {@code attempts} attempts without jitter: initial, twice that, ... each capped at {@code max}. */
    private static Duration retryWaits(int attempts, Duration initial, Duration max) {
        Duration sum = Duration.ZERO;
        for (int n = 0; n < attempts - 1; n++) {
            Duration wait = initial.multipliedBy(1L << n);
            sum = sum.plus(wait.compareTo(max) < 0 ? wait : max);
        }
        return sum;
    }

    @AfterAll
    void printTheTableAndCleanUp() throws Exception {
        ResultTable.publish(repo, "Ingest fault table", "fault-table.md", List.of("case",
                "pages expected", "pages stored", "rows differing", "faults injected", "retries", "embedding requests",
                "wall s", "VmHWM MB"), table);
        for (AutoCloseable closeable : new AutoCloseable[] {largeSite, sliceSite, openAi, largeReferenceDb, sliceReferenceDb}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        org.coursebot.system.Repository.deleteTree(largeDir);
        org.coursebot.system.Repository.deleteTree(sliceDir);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A case on the slice with the OpenAI fake answering by {@code plan}. */
    private Case faulty(String name, IntFunction<Failure> plan) {
        openAi.reset();
        openAi.faultPlan(plan);
        return new Case(name, sliceSite);
    }

    /** Groups of 4 pages: more embedding requests on the slice, so every planned fault meets one. */
    private static Map<String, String> smallGroups() {
        return Map.of("COURSEBOT_INGEST_PAGE_GROUP_SIZE", "4");
    }

    private void assertMatchesReference(Case c, Map<String, String> env) throws Exception {
        CourseSnapshot reference = c.site == largeSite ? largeReference : sliceReference;
        TestDatabase db = TestDatabase.create();
        try (db; IngestProcess ingest = IngestProcess.start(repo, slug(c.name), db.url(), c.site.baseUrl(),
                c.openAi ? openAi.baseUrl() : null, env)) {
            JsonNode run = ingest.ingest(RUN_LIMIT);
            assertThat(run.get("status").asText()).as(ingest.logTail(40)).isEqualTo("succeeded");
            assertThat(run.at("/counts/pagesFailed").asInt()).as(run.toString()).isZero();
            CourseSnapshot snapshot = CourseSnapshot.read(db.url(), c.openAi);
            CourseSnapshot expected = c.openAi ? reference
                    : CourseSnapshot.read((c.site == largeSite ? largeReferenceDb : sliceReferenceDb).url(), false)
                            .withModel("text-embedding-3-small/1536", "all-minilm-l6-v2-q/384");
            int differing = snapshot.rowsDifferingFrom(expected);
            assertThat(differing).as(snapshot.describeDifference(expected)).isZero();
            int faults = openAi.faultsInjected().values().stream().mapToInt(Integer::intValue).sum();
            assertThat(run.at("/counts/embeddingRetries").asInt()).as("one retry per transient fault")
                    .isEqualTo(c.openAi ? faults : 0);
            c.record(run, snapshot, differing, ingest.peakRssMb());
        }
    }

    /**
     * A run against an embeddings API that cannot be reached fails within {@code bound} (and not before
     * {@code atLeast}: the retries' waits) with a reason starting
     * {@code reason}, after {@code requests} embedding requests (the first group's one, with its retries), writes no page, releases the ingest lock (the same process starts its next run at once), and
     * a process with a working API then ingests the site to the reference.
     */
    private void assertStopsAndTheNextRunSucceeds(Case c, String apiUrl, Map<String, String> env, String reason,
            int requests, Duration atLeast, Duration bound) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(smallGroups());
        settings.putAll(env);
        try (TestDatabase db = TestDatabase.create()) {
            try (IngestProcess ingest = IngestProcess.start(repo, slug(c.name), db.url(), sliceSite.baseUrl(), apiUrl, settings)) {
                long started = System.nanoTime();
                JsonNode run = ingest.ingest(RUN_LIMIT);
                double wall = (System.nanoTime() - started) / 1e9;
                double recorded = Duration.between(java.time.Instant.parse(run.get("started").asText()),
                        java.time.Instant.parse(run.get("finished").asText())).toMillis() / 1e3;
                System.out.printf("%s: %s in %.1f s (%.1f s from its start to its end as recorded), %d embedding requests,"
                        + " %d retries; as the admin API shows it: %s%n", c.name, run.get("status").asText(), wall, recorded,
                        run.at("/counts/embeddingRequests").asInt(), run.at("/counts/embeddingRetries").asInt(), run);
                assertThat(run.get("status").asText()).as(ingest.logTail(40)).isEqualTo("failed");
                assertThat(run.get("reason").asText()).startsWith(reason).contains("the run stopped there, 0 pages written");
                assertThat(wall).as("seconds to fail").isLessThan(bound.toMillis() / 1e3);
                assertThat(wall).as("seconds to fail: the retries waited").isGreaterThanOrEqualTo(atLeast.toMillis() / 1e3);
                // Without the stop: one request (with its retries) for each of the slice's ~16 groups of 4 pages.
                assertThat(run.at("/counts/embeddingRequests").asInt()).as("embedding requests").isEqualTo(requests);
                assertThat(run.get("errors")).as("a run-level reason is not a page error").isEmpty();
                assertThat(run.at("/counts/pagesFailed").asInt()).isZero();
                CourseSnapshot nothing = CourseSnapshot.read(db.url(), true);
                assertThat(nothing.pages()).as("no page written").isEmpty();
                assertThat(advisoryLocks(db)).as("the ingest lock is released").isZero();
                assertThat(ingest.readiness()).isEqualTo(200);
                c.record(run, nothing, 0, ingest.peakRssMb(), wall);
                JsonNode again = ingest.awaitFinished(ingest.startRun(), RUN_LIMIT);
                assertThat(again.get("reason").asText()).as("the next run starts and stops the same way").startsWith(reason);
            }
            openAi.reset();
            try (IngestProcess next = IngestProcess.start(repo, slug(c.name) + "-then-working", db.url(),
                    sliceSite.baseUrl(), openAi.baseUrl(), smallGroups())) {
                JsonNode run = next.ingest(RUN_LIMIT);
                assertThat(run.get("status").asText()).as(next.logTail(40)).isEqualTo("succeeded");
                CourseSnapshot snapshot = CourseSnapshot.read(db.url(), true);
                assertThat(snapshot.rowsDifferingFrom(sliceReference)).as(snapshot.describeDifference(sliceReference)).isZero();
            }
        }
    }

    /** Advisory locks granted in {@code db}'s database (the cluster may serve other tests' databases). */
    private static int advisoryLocks(TestDatabase db) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("db", db.url());
        try (Connection conn = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                Statement s = conn.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitPagesSeen(IngestProcess ingest, long id, int pages) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = ingest.run(id);
            if (run.at("/counts/pagesNew").asInt() >= pages) {
                return;
            }
            assertThat(run.get("status").asText()).as("still running when the fault comes").isEqualTo("running");
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " never reached " + pages + " pages");
    }

    /** Polls pg_locks until the run holds an advisory lock again (true), or the run ended first (false). */
    private static boolean awaitAdvisoryLock(TestDatabase db, IngestProcess ingest, long id) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("db", db.url());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection conn = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                    Statement s = conn.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return true;
                }
            } catch (java.sql.SQLException stillStarting) {
                // the cluster is coming back
            }
            if (!"running".equals(ingest.run(id).get("status").asText())) {
                return false;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static String firstChunkText(TestDatabase db, String pageUrl) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("db", db.url());
        try (Connection conn = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                var query = conn.prepareStatement("SELECT content FROM course_content WHERE page_url = ? ORDER BY length(content) DESC LIMIT 1")) {
            query.setString(1, pageUrl);
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).as("reference chunks of " + pageUrl).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void forgetExercisePages(TestDatabase db) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("db", db.url());
        try (Connection conn = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                Statement s = conn.createStatement()) {
            for (String exercise : slice.exercisePages()) {
                String pageUrl = sliceSite.baseUrl() + exercise;
                s.execute("DELETE FROM course_content WHERE page_url = '" + pageUrl + "'");
                s.execute("DELETE FROM page WHERE url = '" + pageUrl + "'");
            }
        }
    }

    private static java.net.http.HttpResponse<String> trigger(IngestProcess ingest) {
        try {
            return ingest.trigger();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String slug(String name) {
        return "faults-" + name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** One row of the fault table. */
    private final class Case {
        final String name;
        final CourseSiteServer site;
        final long started = System.nanoTime();
        boolean openAi = true;

        Case(String name, CourseSiteServer site) {
            this.name = name;
            this.site = site;
        }

        void record(JsonNode run, CourseSnapshot snapshot, int differing, double peakRssMb) {
            record(run, snapshot, differing, peakRssMb, (System.nanoTime() - started) / 1e9);
        }

        /** @param wall seconds of the case, or of the one run it is about */
        void record(JsonNode run, CourseSnapshot snapshot, int differing, double peakRssMb, double wall) {
            CourseSnapshot reference = site == largeSite ? largeReference : sliceReference;
            int expected = reference == null ? snapshot.pages().size() : reference.pages().size();
            int faults = IngestFaultsTests.this.openAi.faultsInjected().values().stream().mapToInt(Integer::intValue).sum();
            table.add(String.format("| %s | %d | %d | %d | %d | %d | %d | %.1f | %.1f |", name, expected, snapshot.pages().size(),
                    differing, openAi ? faults : 0, run.at("/counts/embeddingRetries").asInt(),
                    run.at("/counts/embeddingRequests").asInt(),
                    wall, peakRssMb));
        }
    }
}
