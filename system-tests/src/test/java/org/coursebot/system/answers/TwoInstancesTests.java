package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebot.system.Repository;
import org.coursebot.system.ResultTable;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.LoadBalancer;
import org.coursebot.testing.PrivateCluster;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two chat-service processes on one database behind nginx, round robin (issue 32): the limits and the daily budget are
 * the database's, so two instances give a client one limit, not two, and cross the budget together. The limits live
 * in a PostgreSQL cluster of their own (LIMITS_DATABASE_URL), so that it can be stopped while the search's database
 * goes on: each instance then counts in its own buckets, and returns to the shared ones when it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTests {

    static final int BURST = 100;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    static final String KEY = "sk-two-instances-course-a";
    /** USD a day; the test spends most of it up front, as if earlier answers had. */
    static final BigDecimal BUDGET = new BigDecimal("0.05");
    static final String NOTE = "Today's budget for written answers is spent";
    static final ObjectMapper JSON = new ObjectMapper();

    Path repo;
    PrivateCluster cluster;
    PrivateCluster limitsCluster;
    TestDatabase db;
    TestDatabase limitsDb;
    FakeOpenAiServer openAi;
    final List<ChatProcess> chats = new ArrayList<>();
    LoadBalancer nginx;
    HttpClient http;
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void startTwoInstancesBehindNginx() throws Exception {
        repo = Repository.root();
        cluster = PrivateCluster.start();
        limitsCluster = PrivateCluster.start();
        db = TestDatabase.create(cluster.adminUrl());
        limitsDb = TestDatabase.create(limitsCluster.adminUrl()).migrate(384);
        openAi = FakeOpenAiServer.start();
        SampleCourse.ingest(repo, "two-instances-ingest", db.url(), openAi);
        Map<String, String> env = Map.ofEntries(
                Map.entry("LIMITS_DATABASE_URL", limitsDb.insightsUrl()),
                Map.entry("INSIGHTS_CLIENT_KEY_SECRET", "one secret for every instance"),
                Map.entry("COURSEBOT_RATE_LIMIT_ENABLED", "true"),
                Map.entry("COURSEBOT_RATE_LIMIT_BURST", String.valueOf(BURST)),
                Map.entry("COURSEBOT_RATE_LIMIT_REQUESTS_PER_MINUTE", "1"),
                Map.entry("COURSEBOT_RATE_LIMIT_FALLBACK_RETRY", "1s"),
                // What is measured is sharing, not latency: on a loaded CI machine a check can take longer than the
                // default 250 ms, and each late one would be counted in the instance's own bucket.
                Map.entry("COURSEBOT_RATE_LIMIT_SHARED_TIMEOUT", "5s"),
                Map.entry("COURSEBOT_API_KEYS", "course-a:" + KEY),
                Map.entry("COURSEBOT_API_RATE_BURST", String.valueOf(BURST)),
                Map.entry("COURSEBOT_API_RATE_REQUESTS_PER_MINUTE", "1"),
                Map.entry("COURSEBOT_ANSWER_DAILY_BUDGET", BUDGET.toPlainString()),
                Map.entry("COURSEBOT_ANSWER_CONDENSE_ENABLED", "false"));
        for (String name : List.of("two-instances-chat-1", "two-instances-chat-2")) {
            chats.add(ChatProcess.start(repo, name, db.chatUrl(), openAi.baseUrl(), env));
        }
        nginx = LoadBalancer.start(chats.stream().map(c -> URI.create(c.url()).getPort()).toList());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void printTheTableAndCleanUp() throws Exception {
        ResultTable.publish(repo, "Two instances behind nginx", "two-instances-table.md",
                List.of("case", "sent", "allowed", "configured", "how"), table);
        List<AutoCloseable> all = new ArrayList<>();
        all.add(nginx);
        all.addAll(chats);
        all.addAll(List.of(db, limitsDb, cluster, limitsCluster, openAi));
        for (AutoCloseable closeable : all) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void oneClientGetsOneLimitAcrossBothInstances() throws Exception {
        List<Integer> statuses = send(300, 8, i -> get("/api/search?threshold=0&q=express+routes+" + i, "203.0.113.10"));

        long allowed = statuses.stream().filter(s -> s == 200).count();
        table.add(row("one client on /api (burst " + BURST + ", 1/min)", 300, allowed, String.valueOf(BURST),
                "shared buckets; each instance served " + servedByEach()));
        assertThat(statuses).as("nothing but answers and refusals").allMatch(s -> s == 200 || s == 429);
        // One limit in total (within 5 %), not one per instance: the burst, and at most one refill a minute.
        assertThat(allowed).isBetween((long) BURST, (long) (BURST * 1.05));
        for (ChatProcess chat : chats) {
            assertThat(metric(chat, "coursebot_rate_limit_requests_total\\{outcome=\"allowed\",store=\"shared\"}"))
                    .as("both instances took from the shared bucket: " + chat.log()).isGreaterThan(0);
        }
    }

    @Test
    @Order(2)
    void oneApiKeyGetsOneLimitAcrossBothInstances() throws Exception {
        List<Integer> statuses = send(300, 8, i -> HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + KEY).timeout(CLIENT_TIMEOUT).GET().build());

        long allowed = statuses.stream().filter(s -> s == 200).count();
        table.add(row("one API key on /v1 (burst " + BURST + ", 1/min)", 300, allowed, String.valueOf(BURST),
                "shared buckets"));
        assertThat(statuses).allMatch(s -> s == 200 || s == 429);
        assertThat(allowed).isBetween((long) BURST, (long) (BURST * 1.05));
    }

    @Test
    @Order(3)
    void theDailyBudgetCrossedMidLoadSwitchesBothInstancesToExtractiveAnswers() throws Exception {
        openAi.reset();
        openAi.chatReply("gpt-4o-mini", "Register the route before the error handler, as the course shows [1].",
                Duration.ofMillis(150));
        // One answer, to know what one costs; then the day's spend is set to leave room for about 20.
        JsonNode first = chat(0, "198.51.100.1");
        assertThat(first.get("mode").asText()).isEqualTo("llm");
        BigDecimal one = awaitSettledSpend();
        // Room for about 20 reservations (each an answer and the 600 tokens it may write at most).
        BigDecimal room = one.add(new BigDecimal("0.00036")).multiply(BigDecimal.valueOf(20));
        limitsDb.execute("UPDATE answer_spend SET spent_usd = " + BUDGET.subtract(room).toPlainString() + " WHERE course = ''");

        // Eight students asking until 2 s after the first answer the budget made extractive (30 s at most); each
        // question from an address of its own, so no rate limit is met.
        List<Answered> answers = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong stopAt = new java.util.concurrent.atomic.AtomicLong(
                System.nanoTime() + Duration.ofSeconds(30).toNanos());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> students = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                students.add(pool.submit(() -> {
                    while (System.nanoTime() < stopAt.get()) {
                        int n = asked.incrementAndGet();
                        long start = System.nanoTime();
                        JsonNode answer = chat(n, "10.1." + (n / 250) + "." + (n % 250));
                        long end = System.nanoTime();
                        boolean downgraded = answer.get("answer").asText().contains(NOTE);
                        answers.add(new Answered(start, end, answer.get("mode").asText(), downgraded));
                        if (downgraded) {
                            long later = end + Duration.ofSeconds(2).toNanos();
                            stopAt.accumulateAndGet(later, Math::min);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : students) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long written = answers.stream().filter(a -> a.mode().equals("llm")).count();
        List<Answered> downgraded = answers.stream().filter(Answered::downgraded).toList();
        assertThat(written).as("answers written before the budget ran out").isPositive();
        assertThat(downgraded).as("answers the budget made extractive").isNotEmpty()
                .allMatch(a -> a.mode().equals("extractive"));
        long crossed = downgraded.stream().mapToLong(Answered::end).min().orElseThrow();
        List<Answered> late = answers.stream().filter(a -> a.start() > crossed + Duration.ofSeconds(1).toNanos()).toList();
        assertThat(late).as("every answer begun a second after the first downgraded one came back").isNotEmpty()
                .allMatch(Answered::downgraded);
        BigDecimal spent = awaitSettledSpend();
        table.add(row("daily budget crossed mid-load (8 students, until 2 s after)", answers.size(), written, BUDGET + " USD",
                "then " + downgraded.size() + " extractive; spent " + spent.toPlainString() + " USD of " + BUDGET
                        + "; answers begun 1 s after the crossing: " + late.size() + ", all extractive"));
        assertThat(spent).as("the spend recorded never passes the budget").isLessThanOrEqualTo(BUDGET);
        for (ChatProcess chat : chats) {
            assertThat(metric(chat, "coursebot_answer_budget_downgraded_total")).as("both instances switched: " + chat.log())
                    .isGreaterThan(0);
        }
    }

    @Test
    @Order(4)
    void theLimitsDatabaseStoppedFor5sLeavesEachInstanceItsOwnBucketsThenTheSharedOnesAgain() throws Exception {
        double fellBackBefore = fallbacks();
        List<Integer> during;
        ExecutorService outage = Executors.newSingleThreadExecutor();
        try {
            limitsCluster.stop();
            Future<?> back = outage.submit(() -> {
                Thread.sleep(5_000);
                limitsCluster.startAgain();
                return null;
            });
            // A greedy client while the database is down: each instance's own burst, never unlimited, never none.
            during = send(300, 8, i -> get("/api/search?threshold=0&q=status+codes+" + i, "192.0.2.50"));
            back.get();
        } finally {
            outage.shutdownNow();
        }
        long allowedDuring = during.stream().filter(s -> s == 200).count();
        double fellBack = fallbacks() - fellBackBefore;
        table.add(row("one client, limits database stopped 5 s", 300, allowedDuring, "≤ " + 2 * BURST + " (a burst per instance)",
                "each instance's own buckets (" + (long) fellBack + " requests counted locally)"));
        assertThat(during).allMatch(s -> s == 200 || s == 429);
        assertThat(fellBack).as("requests counted in the instances' own buckets").isGreaterThan(0);
        assertThat(allowedDuring).as("at most one burst per instance, and some").isBetween(1L, 2L * BURST + 5);

        // Back: once each instance's probe (every fallback-retry, 1 s) has found the database, a new client gets one
        // limit across both.
        long limit = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < limit && (metric(chats.get(0), "coursebot_limits_shared_available")
                + metric(chats.get(1), "coursebot_limits_shared_available")) < 2) {
            Thread.sleep(100);
        }
        assertThat(metric(chats.get(0), "coursebot_limits_shared_available")
                + metric(chats.get(1), "coursebot_limits_shared_available")).as("both probes found the database back")
                .isEqualTo(2);
        double fallbacksAfter = fallbacks();
        List<Integer> after = send(300, 8, i -> get("/api/search?threshold=0&q=routing+" + i, "192.0.2.51"));
        long allowedAfter = after.stream().filter(s -> s == 200).count();
        table.add(row("a new client once the database is back", 300, allowedAfter, String.valueOf(BURST),
                "shared buckets again"));
        assertThat(fallbacks()).as("nothing counted locally once it was back").isEqualTo(fallbacksAfter);
        assertThat(allowedAfter).isBetween((long) BURST, (long) (BURST * 1.05));
    }

    record Answered(long start, long end, String mode, boolean downgraded) {
    }

    private JsonNode chat(int n, String client) throws Exception {
        String body = JSON.writeValueAsString(SampleCourse.ask(SampleCourse.QUESTIONS.get(n % SampleCourse.QUESTIONS.size())
                + " " + (1000 + n)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/api/chat"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", client).timeout(CLIENT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpRequest get(String path, String client) {
        return HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path)).header("X-Forwarded-For", client)
                .timeout(CLIENT_TIMEOUT).GET().build();
    }

    /** Sends {@code n} requests, {@code concurrency} at a time; their statuses (-1: no answer). */
    private List<Integer> send(int n, int concurrency, java.util.function.IntFunction<HttpRequest> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                all.add(pool.submit(() -> {
                    try {
                        return http.send(request.apply(k), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (java.io.IOException e) {
                        return -1;
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : all) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Today's spend of every course's questions, once no settle is on its way (two reads 300 ms apart agree). */
    private BigDecimal awaitSettledSpend() throws InterruptedException {
        String sql = "SELECT spent_usd FROM answer_spend WHERE course = ''";
        BigDecimal last = new BigDecimal(limitsDb.queryString(sql));
        for (int i = 0; i < 50; i++) {
            Thread.sleep(300);
            BigDecimal now = new BigDecimal(limitsDb.queryString(sql));
            if (now.compareTo(last) == 0) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private double fallbacks() throws Exception {
        double sum = 0;
        for (ChatProcess chat : chats) {
            sum += metric(chat, "coursebot_rate_limit_fallback_total");
        }
        return sum;
    }

    /** A metric of one instance's Prometheus page (the sum of its series matching {@code series}), 0 when absent. */
    private double metric(ChatProcess chat, String series) throws Exception {
        String page = http.send(HttpRequest.newBuilder(URI.create(chat.url() + "/q/metrics")).timeout(CLIENT_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + series + "\\s+([0-9.eE+-]+)$").matcher(page);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** How many requests nginx sent to each instance so far, from its access log. */
    private String servedByEach() throws Exception {
        List<String> lines = Files.readAllLines(nginx.accessLog());
        List<String> counts = new ArrayList<>();
        for (ChatProcess chat : chats) {
            String upstream = "127.0.0.1:" + URI.create(chat.url()).getPort();
            counts.add(String.valueOf(lines.stream().filter(l -> l.contains(upstream)).count()));
        }
        return String.join(" / ", counts);
    }

    private static String row(String what, long sent, long allowed, String configured, String how) {
        return "| " + what + " | " + sent + " | " + allowed + " | " + configured + " | " + how + " |";
    }
}
