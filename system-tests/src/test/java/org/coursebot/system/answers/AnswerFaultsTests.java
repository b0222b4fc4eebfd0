package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.system.Repository;
import org.coursebot.system.ResultTable;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.Failure;
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
 * Faults on the answer path, one case each, against chat-service as its image runs it, over a PostgreSQL cluster
 * of its own (stopped and started by a case) with the sample course, and the fake OpenAI server for embeddings and
 * the chat model. Each fault ends in a bounded answer — a 503 with Retry-After, a degraded or extractive answer, an
 * SSE error event — never a hang or a 500, and the service recovers once the fault is gone. Prints the fault table
 * (also in target/answer-fault-table.md). Each case starts with {@code openAi.reset()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnswerFaultsTests {

    static final Duration QUESTION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LLM_TIMEOUT = Duration.ofSeconds(2);
    /** One retry before the first token (the default is 2): the case then also shows a retry timing out. */
    static final int LLM_RETRIES = 1;
    /** A model that never starts: a timeout per attempt, and LlmAnswerer's first backoff (500 ms, jitter up to 750). */
    static final Duration NO_FIRST_TOKEN = LLM_TIMEOUT.multipliedBy(1 + LLM_RETRIES).plusMillis(750);
    /** How long the embedder's circuit stays open: short, so that a case sees it close again. */
    static final Duration CIRCUIT_OPEN = Duration.ofSeconds(3);
    /** A request without an answer by then counts as hanging. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    /** What an answer may take beyond the fault's own deadline: the search, the rest of the answer, the round trip. */
    static final Duration SLACK = Duration.ofMillis(1500);
    static final Duration DATABASE_DOWN = Duration.ofSeconds(5);
    static final String NO_RECOVERY = "none in 30 s";

    Path repo;
    PrivateCluster cluster;
    TestDatabase db;
    FakeOpenAiServer openAi;
    ChatProcess chat;
    final AtomicInteger asked = new AtomicInteger();
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void startChatServiceOverAClusterOfItsOwn() throws Exception {
        repo = Repository.root();
        cluster = PrivateCluster.start();
        db = TestDatabase.create(cluster.adminUrl());
        openAi = FakeOpenAiServer.start();
        SampleCourse.ingest(repo, "answer-faults-ingest", db.url(), openAi);
        chat = ChatProcess.start(repo, "answer-faults-chat", db.chatUrl(), openAi.baseUrl(), Map.of(
                "COURSEBOT_EMBEDDING_QUESTION_TIMEOUT", millis(QUESTION_TIMEOUT),
                "COURSEBOT_EMBEDDING_CIRCUIT_OPEN_DURATION", millis(CIRCUIT_OPEN),
                "COURSEBOT_ANSWER_LLM_TIMEOUT", millis(LLM_TIMEOUT),
                "COURSEBOT_ANSWER_LLM_RETRIES", String.valueOf(LLM_RETRIES)));
    }

    @AfterAll
    void printTheTableAndCleanUp() throws Exception {
        ResultTable.publish(repo, "Answer fault table", "answer-fault-table.md",
                List.of("fault", "requests sent", "outcomes by status", "max latency", "recovery time"), table);
        for (AutoCloseable closeable : new AutoCloseable[] {chat, db, cluster, openAi}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void postgresRestartedUnderLoad() throws Exception {
        openAi.reset();
        List<AnswerLoad.Sample> samples;
        long back;
        try (AnswerLoad load = AnswerLoad.start(chat.client, 2, 2, Duration.ofMillis(50), CLIENT_TIMEOUT)) {
            Thread.sleep(2000);
            cluster.restart(DATABASE_DOWN);
            back = System.nanoTime();
            long limit = back + Duration.ofSeconds(30).toNanos();
            while (firstSuccessAfter(load.samples(), back) == null && System.nanoTime() < limit) {
                Thread.sleep(100);
            }
            Thread.sleep(3000); // answers after the recovery, all of which must succeed
            load.close();
            samples = load.samples();
        }
        AnswerLoad.Sample recovered = firstSuccessAfter(samples, back);
        List<AnswerClient.Reply> replies = samples.stream().map(AnswerLoad.Sample::reply).toList();
        String recovery = recovered == null ? NO_RECOVERY : ms(recovered.ended() - back);
        record("PostgreSQL stopped " + DATABASE_DOWN.toSeconds() + " s under load (search + chat)", replies,
                AnswerFaultsTests::status, recovery, "");

        assertThat(replies).as("no request hangs (%s client timeout) or fails without a status", CLIENT_TIMEOUT)
                .allMatch(r -> r.status() > 0 && r.complete(), "answered");
        assertThat(replies).as("503s while the database was away").anyMatch(r -> r.status() == 503);
        List<String> wrong = replies.stream().filter(r -> r.status() != 200 && !unavailable(r))
                .map(AnswerClient.Reply::describe).limit(5).toList();
        assertThat(wrong).as("answers other than 200 or a 503 problem with Retry-After").isEmpty();
        assertThat(recovered).as("a 200 after the database came back").isNotNull();
        List<String> afterRecovery = samples.stream().filter(s -> s.sent() >= recovered.ended() && s.reply().status() != 200)
                .map(s -> s.kind() + " " + s.reply().describe()).limit(5).toList();
        assertThat(afterRecovery).as("failures sent after the first success").isEmpty();
        chat.awaitReady(Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void chatModelHangsBeforeItsFirstToken() throws Exception {
        openAi.reset();
        List<AnswerClient.Reply> json = new ArrayList<>();
        List<AnswerClient.Reply> sse = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            openAi.failChat(hangs());
            json.add(chat.client.postJson("/api/chat", SampleCourse.ask(i), CLIENT_TIMEOUT));
            openAi.failChat(hangs());
            sse.add(chat.client.postSse("/api/chat", SampleCourse.ask(i), CLIENT_TIMEOUT));
        }
        List<AnswerClient.Reply> replies = concat(json, sse);
        FakeOpenAiServer.ChatStreams upstream = upstreamSettled();
        String recovery = recovery(r -> "llm".equals(mode(r)));
        record("chat model hangs before its first token (JSON, SSE; " + LLM_RETRIES + " retry)", replies, upstream, recovery);
        assertThat(recovery).as("answers from the model again; log " + chat.log()).isNotEqualTo(NO_RECOVERY);

        for (AnswerClient.Reply r : json) {
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(mode(r)).as("the extractive fallback").isEqualTo("extractive");
        }
        for (AnswerClient.Reply r : sse) {
            assertThat(r.eventNames()).as(r.describe()).contains("token").endsWith("citations", "done");
            assertThat(done(r).get("mode").asText()).as("the extractive fallback").isEqualTo("extractive");
        }
        assertWithin(replies, NO_FIRST_TOKEN.plus(SLACK));
        assertUpstreamClosed(upstream, replies.size() * (1 + LLM_RETRIES));
    }

    @Test
    @Order(3)
    void chatModelHangsMidStream() throws Exception {
        openAi.reset();
        openAi.chatReply("Register the route before the error handler, as the course shows [1].");
        List<AnswerClient.Reply> sse = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            openAi.failChat(Failure.hangAfter(3));
            sse.add(chat.client.postSse("/api/chat", SampleCourse.ask(i), CLIENT_TIMEOUT));
        }
        openAi.failChat(Failure.hangAfter(3));
        AnswerClient.Reply json = chat.client.postJson("/api/chat", SampleCourse.ask(0), CLIENT_TIMEOUT);
        List<AnswerClient.Reply> replies = concat(sse, List.of(json));
        FakeOpenAiServer.ChatStreams upstream = upstreamSettled();
        String recovery = recovery(r -> "llm".equals(mode(r)));
        record("chat model hangs after 3 tokens (SSE ×2, JSON)", replies, upstream, recovery);
        assertThat(recovery).as("answers from the model again; log " + chat.log()).isNotEqualTo(NO_RECOVERY);

        for (AnswerClient.Reply r : sse) {
            assertThat(r.complete()).as("the stream ends: " + r.describe()).isTrue();
            assertThat(r.eventNames()).as(r.describe()).containsExactly("token", "token", "token", "error");
        }
        assertThat(json.complete()).as("answered: " + json.describe()).isTrue();
        assertWithin(replies, LLM_TIMEOUT.plus(SLACK));
        assertUpstreamClosed(upstream, replies.size());
        // The JSON client has seen nothing yet: the extractive answer, or at least a problem it may retry.
        assertThat(json.status() == 200 && "extractive".equals(mode(json)) || unavailable(json) || json.status() == 504)
                .as("JSON answer whose model stalled mid-way: the extractive fallback or a retryable problem, got "
                        + json.describe()).isTrue();
    }

    @Test
    @Order(4)
    void embedderSlowerThanTheQuestionDeadline() throws Exception {
        openAi.reset();
        openAi.embeddingLatency(QUESTION_TIMEOUT.multipliedBy(3), QUESTION_TIMEOUT.multipliedBy(3), 1);
        degradedAnswers("embedder answers in " + QUESTION_TIMEOUT.multipliedBy(3).toSeconds() + " s (deadline "
                + QUESTION_TIMEOUT.toMillis() + " ms)");
    }

    @Test
    @Order(5)
    void embedderHangs() throws Exception {
        openAi.reset();
        openAi.faultPlan(n -> Failure.hang());
        degradedAnswers("embedder hangs");
    }

    @Test
    @Order(6)
    void embedderFails() throws Exception {
        openAi.reset();
        openAi.faultPlan(n -> Failure.status(500));
        degradedAnswers("embedder answers 500 (circuit opens, " + CIRCUIT_OPEN.toSeconds() + " s)");
    }

    /** A hang for the first attempt and for each retry. */
    private static Failure[] hangs() {
        Failure[] hangs = new Failure[1 + LLM_RETRIES];
        Arrays.fill(hangs, Failure.hang());
        return hangs;
    }

    /** Three searches and three chat answers, each a question not yet cached: 200, degraded, within the deadline. */
    private void degradedAnswers(String fault) throws Exception {
        List<AnswerClient.Reply> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(chat.client.get("/api/search?threshold=0&q=" + uncached().replace(' ', '+'), CLIENT_TIMEOUT));
            replies.add(chat.client.postJson("/api/chat", SampleCourse.ask(uncached()), CLIENT_TIMEOUT));
        }
        String recovery = recovery(r -> !r.json().get("degraded").asBoolean());
        record(fault, replies, null, recovery);
        assertThat(recovery).as("answers by vector search again; log " + chat.log()).isNotEqualTo(NO_RECOVERY);
        for (AnswerClient.Reply r : replies) {
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.json().get("degraded").asBoolean()).as("degraded: " + r.body()).isTrue();
        }
        assertWithin(replies, QUESTION_TIMEOUT.plus(SLACK));
    }

    /**
     * A question of the course with a number of its own, so the question cache cannot answer it (one term the course
     * lacks, and a bare number is no name: still covered).
     */
    private String uncached() {
        int n = asked.incrementAndGet();
        return SampleCourse.QUESTIONS.get(n % SampleCourse.QUESTIONS.size()) + " " + (100 + n);
    }

    /**
     * Once the fault is gone: the time until an uncached JSON answer is 200 and {@code healthy} (polled every
     * 200 ms, 30 s at most; {@link #NO_RECOVERY} then).
     */
    private String recovery(Predicate<AnswerClient.Reply> healthy) throws InterruptedException {
        openAi.reset();
        long start = System.nanoTime();
        long limit = start + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < limit) {
            AnswerClient.Reply r = chat.client.postJson("/api/chat", SampleCourse.ask(uncached()), CLIENT_TIMEOUT);
            if (r.status() == 200 && healthy.test(r)) {
                return ms(System.nanoTime() - start);
            }
            Thread.sleep(200);
        }
        return NO_RECOVERY;
    }

    private void assertWithin(List<AnswerClient.Reply> replies, Duration bound) {
        assertThat(replies).as("every answer within %d ms", bound.toMillis())
                .allMatch(r -> r.took().compareTo(bound) <= 0, "in time");
    }

    /** The fake's count of streams to the model once none is open, or after 5 s. */
    private FakeOpenAiServer.ChatStreams upstreamSettled() throws InterruptedException {
        long limit = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (openAi.chatStreams().open() > 0 && System.nanoTime() < limit) {
            Thread.sleep(100);
        }
        return openAi.chatStreams();
    }

    /** chat-service gave up on every hung stream to the model and closed it, rather than leaving it open. */
    private static void assertUpstreamClosed(FakeOpenAiServer.ChatStreams streams, int hung) {
        assertThat(streams.cancelled()).as("hung streams to the model closed by chat-service: " + streams).isEqualTo(hung);
        assertThat(streams.open()).as("streams to the model left open: " + streams).isZero();
    }

    /** A row of the table; {@code upstream}, when given, is told with the outcomes. */
    private void record(String fault, List<AnswerClient.Reply> replies, FakeOpenAiServer.ChatStreams upstream,
            String recovery) {
        record(fault, replies, AnswerFaultsTests::outcome, recovery, upstream == null ? ""
                : "; model streams: " + upstream.opened() + " opened, " + upstream.cancelled() + " closed by chat-service, "
                + upstream.open() + " left open");
    }

    private void record(String fault, List<AnswerClient.Reply> replies, Function<AnswerClient.Reply, String> label,
            String recovery, String note) {
        Map<String, Integer> outcomes = new TreeMap<>();
        replies.forEach(r -> outcomes.merge(label.apply(r), 1, Integer::sum));
        StringBuilder counted = new StringBuilder();
        outcomes.forEach((o, n) -> counted.append(counted.isEmpty() ? "" : ", ").append(o).append(" ×").append(n));
        long max = replies.stream().mapToLong(r -> r.took().toMillis()).max().orElse(0);
        table.add(String.format(Locale.ROOT, "| %s | %d | %s%s | %d ms | %s |", fault, replies.size(), counted, note, max,
                recovery));
    }

    private static List<AnswerClient.Reply> concat(List<AnswerClient.Reply> a, List<AnswerClient.Reply> b) {
        List<AnswerClient.Reply> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static AnswerLoad.Sample firstSuccessAfter(List<AnswerLoad.Sample> samples, long back) {
        return samples.stream().filter(s -> s.sent() >= back && s.reply().status() == 200)
                .min(Comparator.comparingLong(AnswerLoad.Sample::ended)).orElse(null);
    }

    /** A 503 problem with Retry-After: what a client may retry. */
    private static boolean unavailable(AnswerClient.Reply r) {
        return r.status() == 503 && r.header("Retry-After") != null
                && String.valueOf(r.header("Content-Type")).startsWith("application/problem+json");
    }

    private static String status(AnswerClient.Reply r) {
        if (r.status() < 0 || !r.complete()) {
            return r.timedOut() ? "no answer in " + CLIENT_TIMEOUT.toSeconds() + " s" : "failed: " + r.error();
        }
        return r.status() == 503 && unavailable(r) ? "503 + Retry-After" : String.valueOf(r.status());
    }

    /** The status, and how the answer came: SSE's last event, the mode, degraded. */
    private static String outcome(AnswerClient.Reply r) {
        if (!r.complete() || r.status() != 200) {
            return status(r) + (r.events().isEmpty() ? "" : " SSE " + r.eventNames());
        }
        if (!r.events().isEmpty()) {
            String last = r.eventNames().get(r.events().size() - 1);
            return "200 SSE " + (last.equals("done") ? "done " + done(r).get("mode").asText() : last + " event");
        }
        JsonNode body = r.json();
        return "200" + (body.has("mode") ? " " + body.get("mode").asText() : "")
                + (body.path("degraded").asBoolean() ? " degraded" : "");
    }

    private static String mode(AnswerClient.Reply r) {
        return r.json().path("mode").asText();
    }

    private static JsonNode done(AnswerClient.Reply sse) {
        return sse.events().stream().filter(e -> e.name().equals("done")).findFirst()
                .map(e -> new AnswerClient.Reply(200, Map.of(), e.data(), List.of(), Duration.ZERO, false, null).json())
                .orElseThrow(() -> new AssertionError("no done event: " + sse.describe()));
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + " ms";
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
