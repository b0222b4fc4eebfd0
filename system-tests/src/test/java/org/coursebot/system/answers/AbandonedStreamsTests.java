package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.coursebot.model.DatabaseUrl;
import org.coursebot.system.Repository;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.ChatStreams;
import org.coursebot.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Students who close the tab while the answer streams: chat-service as its image runs it, the chat model streaming
 * slowly from the fake OpenAI server, and a thousand SSE answers each closed right after its first token. Nothing
 * may outlive them: every stream to the model cancelled (no tokens paid for nobody), every answer counted as abandoned
 * and none logged as an error, the service's connections, database pool and per-client request counts back to their
 * idle levels, no answer's objects left on the heap, and its peak RSS inside the container budget.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbandonedStreamsTests {

    static final int STREAMS = 1000;
    /**
     * Abandoned answers before the measured ones, so that what the service makes once is made before: without them,
     * one run's 1,000 answers gained 463 int arrays, 102 method types and 84 column descriptions of the pool's new
     * connections; with them, no class gained more than 8 in ten runs.
     */
    static final int WARM_UP_STREAMS = 200;
    static final int AT_ONCE = 50;
    static final Duration PIECE_PAUSE = Duration.ofMillis(50);
    /** 600 pieces at 50 ms: 30 s to stream in full, far longer than the test waits for the model's streams to end. */
    static final int REPLY_WORDS = 600;
    static final Duration SETTLE = Duration.ofSeconds(10);
    /** An answer without a first token by then has failed (they come in well under a second). */
    static final Duration FIRST_TOKEN_LIMIT = Duration.ofSeconds(10);
    static final double RSS_BUDGET_MB = 128;
    /**
     * What an abandoned answer holds while it streams, one each: its request, RESTEasy's SSE subscriber, its
     * connection, its parsed body, the model's stream. A leak of answers keeps them, whatever else it keeps.
     */
    static final List<String> ANSWER_CLASSES = List.of(
            "io.quarkus.resteasy.reactive.server.runtime.QuarkusResteasyReactiveRequestContext",
            "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler$SseMultiSubscriber",
            "io.vertx.core.http.impl.Http1xServerConnection",
            "org.coursebot.chat.api.ChatRequest",
            "org.coursebot.chat.answer.ChatModelClient$ModelStream");
    /**
     * Live instances of each of {@link #ANSWER_CLASSES} allowed once the service is idle again. Idle, there are
     * none (docs/benchmarks.md, "Abandoned streams leak check": ten runs); answers that leak leave one per answer,
     * and the requests that ClientLimits held for its body timeout were 44 to 215 a run.
     */
    static final int RETAINED_ANSWER_OBJECTS = 20;
    /**
     * A class that gained this many live instances over the {@link #STREAMS} answers keeps something of one answer
     * in ten at least: a leak, whatever the size of what it keeps (100 bytes an answer is 0.1 MB, under the heap's
     * own noise). Ten runs measured a largest gain of 8 (docs/benchmarks.md). Strings and arrays cannot be watched
     * so: their counts fall by hundreds between histograms as the JVM clears soft-referenced reflection caches.
     */
    static final int PER_ANSWER_GROWTH = STREAMS / 10;
    /** chat-service's default coursebot.chat.db-pool-size: the pool may open up to that many under load, and keep them. */
    static final int DB_POOL_SIZE = 8;

    FakeOpenAiServer openAi;
    TestDatabase db;
    ChatProcess chat;
    int openAiPort;
    int databasePort;

    @BeforeAll
    void startChatServiceOverTheSampleCourse() throws Exception {
        Path repo = Repository.root();
        openAi = FakeOpenAiServer.start();
        db = TestDatabase.create();
        SampleCourse.ingest(repo, "abandoned-streams-ingest", db.url(), openAi);
        chat = ChatProcess.start(repo, "abandoned-streams-chat", db.chatUrl(), openAi.baseUrl(), Map.of());
        openAiPort = URI.create(openAi.baseUrl()).getPort();
        databasePort = DatabaseUrl.parse("test database", db.url()).port();
    }

    @AfterAll
    void stop() {
        if (chat != null) {
            chat.close();
        }
        if (db != null) {
            db.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    @Test
    void aThousandAnswersClosedAfterTheirFirstTokenLeaveNothingBehind() throws Exception {
        warmUp();
        openAi.chatReply("word ".repeat(REPLY_WORDS - 1) + "end [1].").chatTokenDelay(PIECE_PAUSE);
        assertThat(abandonAll(WARM_UP_STREAMS)).as("warm-up answers sent").hasSize(WARM_UP_STREAMS);
        awaitUpstreamEnded();
        awaitQuiet();
        // Heap figures are counts of live objects by class (jcmd GC.class_histogram, after a full GC): the heap's size
        // moves by a MB or two from run to run (the pool's connections, the question cache, the JIT's bookkeeping)
        // and would hide a leak of a KB an answer, while a leak keeps a countable object per answer.
        Map<String, Long> objectsBefore = chat.liveObjects("before");
        Figures before = figures(openAi.chatStreams());
        openAi.reset();
        openAi.chatReply("word ".repeat(REPLY_WORDS - 1) + "end [1].").chatTokenDelay(PIECE_PAUSE);

        long logStart = chat.logLines();
        long start = System.nanoTime();
        List<AnswerClient.Reply> replies = abandonAll(STREAMS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        ChatStreams upstream = awaitUpstreamEnded();
        Figures after = awaitIdle(before, upstream);
        Map<String, Long> objectsAfter = chat.liveObjects("after");
        List<Growth> grown = Growth.largest(objectsBefore, objectsAfter, 5);

        List<Long> firstToken = replies.stream().map(r -> r.took().toMillis()).sorted().toList();
        System.out.printf(Locale.ROOT, "%nAbandoned streams: %d SSE answers, %d at a time, each closed after its first"
                        + " token; chat model streaming %d pieces at %d ms each; %.1f s%n", replies.size(), AT_ONCE, REPLY_WORDS,
                PIECE_PAUSE.toMillis(), took.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "time to first token: median %d ms, p99 %d ms, max %d ms%n",
                firstToken.get(firstToken.size() / 2), firstToken.get(firstToken.size() * 99 / 100),
                firstToken.get(firstToken.size() - 1));
        System.out.println("before: after a warm-up of 20 JSON and 20 SSE answers read to their end and " + WARM_UP_STREAMS
                + " abandoned as these; after: once the"
                + " model's streams ended and the service was idle again (at most " + SETTLE.toSeconds() + " s each);"
                + " heap and live objects after a full GC (jcmd GC.run, GC.class_histogram)");
        System.out.print(Figures.table(before, after));
        for (String c : ANSWER_CLASSES) {
            System.out.printf(Locale.ROOT, "live %-86s %6d -> %6d%n", c, objectsBefore.getOrDefault(c, 0L),
                    objectsAfter.getOrDefault(c, 0L));
        }
        System.out.println("largest gains in live objects (class histograms beside the log): " + grown);
        List<String> errors = chat.logErrorsSince(logStart);
        System.out.println("chat-service log during the run: " + errors.size() + " ERROR lines"
                + (errors.isEmpty() ? "" : ", the first: " + errors.get(0)));

        List<String> failures = replies.stream().filter(r -> !startedWithAToken(r)).map(AnswerClient.Reply::describe).toList();
        assertThat(failures.size()).as("answers that did not start with a token, the first: %s",
                failures.stream().limit(5).toList()).isZero();
        assertThat(replies).as("answers sent").hasSize(STREAMS);
        // A write that meets a client already gone (Broken pipe and the like) is DEBUG: ClientLeftSseLogFilter.
        assertThat(errors).as("ERROR lines chat-service logged during the run").isEmpty();
        assertThat(after.abandoned() - before.abandoned()).as("answers counted as abandoned (coursebot.chat.stream.abandoned)")
                .isEqualTo(STREAMS);
        assertThat(chat.alive()).as("chat-service still running; log " + chat.log()).isTrue();
        assertThat(upstream.opened()).as("one stream to the model per answer").isEqualTo(STREAMS);
        assertThat(upstream.completed()).as("streams to the model that ran to their end: " + upstream).isZero();
        assertThat(upstream.cancelled()).as("streams to the model cancelled by chat-service: " + upstream)
                .isEqualTo(upstream.opened());
        assertThat(after.connections()).as("open HTTP connections").isLessThanOrEqualTo(before.connections());
        assertThat(after.clientSockets()).as("sockets from clients").isLessThanOrEqualTo(before.clientSockets());
        assertThat(after.requests()).as("HTTP requests in flight").isLessThanOrEqualTo(before.requests());
        assertThat(after.openAiSockets()).as("sockets to OpenAI (embeddings, chat model)").isLessThanOrEqualTo(before.openAiSockets());
        assertThat(after.poolInUse()).as("database connections in use or awaited").isZero();
        assertThat(after.databaseSockets()).as("sockets to PostgreSQL: the pool, at most its size")
                .isLessThanOrEqualTo(Math.max(before.databaseSockets(), DB_POOL_SIZE));
        assertThat(after.inFlight()).as("requests the per-client limit still counts (coursebot.http.requests.in.flight)")
                .isZero();
        for (String c : ANSWER_CLASSES) {
            assertThat(objectsAfter.getOrDefault(c, 0L)).as("live %s once idle (histograms beside %s)", c, chat.log())
                    .isLessThanOrEqualTo(RETAINED_ANSWER_OBJECTS);
        }
        assertThat(grown.get(0).gained()).as("the largest gain in live objects of one class: %s (histograms beside %s)",
                        grown.get(0), chat.log())
                .isLessThan(PER_ANSWER_GROWTH);
        assertThat(after.peakRssMb()).as("VmHWM of chat-service").isLessThanOrEqualTo(RSS_BUDGET_MB);
    }

    /** Whole answers (JSON and streamed), so that classes, pool connections and compiled code are there before. */
    private void warmUp() {
        for (int i = 0; i < 20; i++) {
            AnswerClient.Reply json = chat.client.postJson("/api/chat", SampleCourse.ask(i), Duration.ofSeconds(30));
            assertThat(json.status()).as(json.describe()).isEqualTo(200);
            assertThat(json.json().get("mode").asText()).as("answered by the chat model: " + json.body()).isEqualTo("llm");
            AnswerClient.Reply sse = chat.client.postSse("/api/chat", SampleCourse.ask(i), Duration.ofSeconds(30));
            assertThat(sse.eventNames()).as(sse.describe()).endsWith("citations", "done");
        }
    }

    /**
     * {@code streams} answers, {@link #AT_ONCE} at a time, each closed once its first token is read. Once {@link #AT_ONCE}
     * answers got no token in {@link #FIRST_TOKEN_LIMIT}, the rest are not sent: a service that leaks has shown it.
     */
    private List<AnswerClient.Reply> abandonAll(int streams) throws Exception {
        ExecutorService students = Executors.newFixedThreadPool(AT_ONCE);
        AtomicInteger failed = new AtomicInteger();
        try {
            List<Future<AnswerClient.Reply>> answers = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Map<String, Object> question = SampleCourse.ask(i);
                answers.add(students.submit(() -> {
                    if (failed.get() >= AT_ONCE) {
                        return null;
                    }
                    AnswerClient.Reply reply = chat.client.postSse("/api/chat", question, FIRST_TOKEN_LIMIT, "token"::equals);
                    if (!startedWithAToken(reply)) {
                        failed.incrementAndGet();
                    }
                    return reply;
                }));
            }
            List<AnswerClient.Reply> replies = new ArrayList<>();
            for (Future<AnswerClient.Reply> answer : answers) {
                if (answer.get() != null) {
                    replies.add(answer.get());
                }
            }
            return Collections.unmodifiableList(replies);
        } finally {
            students.shutdownNow();
        }
    }

    private static boolean startedWithAToken(AnswerClient.Reply r) {
        return r.status() == 200 && !r.events().isEmpty() && r.eventNames().get(r.events().size() - 1).equals("token");
    }

    /** Waits until no stream to the model is open (each ended one way or the other), or {@link #SETTLE} passed. */
    private ChatStreams awaitUpstreamEnded() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ChatStreams streams = openAi.chatStreams();
        while (streams.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            streams = openAi.chatStreams();
        }
        return streams;
    }

    /** Polls until only the scrape is in flight and the pool is unused, or {@link #SETTLE} passed. */
    private void awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        for (ChatProcess.Metrics m = chat.metrics(); System.nanoTime() < deadline; m = chat.metrics()) {
            if (connections(m) <= 1 && requests(m) <= 1 && poolInUse(m) == 0 && inFlight(m) == 0) {
                return;
            }
            Thread.sleep(250);
        }
    }

    /** Polls until connections, requests and the pool are back where they were, or {@link #SETTLE} passed. */
    private Figures awaitIdle(Figures before, ChatStreams upstream) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            ChatProcess.Metrics m = chat.metrics();
            if (connections(m) <= before.connections() && requests(m) <= before.requests() && poolInUse(m) == 0
                    && inFlight(m) == 0) {
                break;
            }
            Thread.sleep(250);
        }
        return figures(upstream);
    }

    private Figures figures(ChatStreams upstream) throws Exception {
        chat.gc();
        ChatProcess.Metrics m = chat.metrics();
        return new Figures(upstream, connections(m), chat.sockets(0), requests(m), inFlight(m),
                m.sum("coursebot_chat_stream_abandoned_total"), chat.sockets(openAiPort), poolInUse(m),
                chat.sockets(databasePort), m.sum("jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024),
                m.sum("process_files_open_files"), chat.peakRssMb());
    }

    /** Open connections to the HTTP server: the scrape's own is one of them. */
    private static double connections(ChatProcess.Metrics m) {
        return m.sum("http_server_connections_seconds_active_count");
    }

    /** Requests being answered: the scrape is one of them. */
    private static double requests(ChatProcess.Metrics m) {
        return m.sum("http_server_active_requests");
    }

    /** Requests ClientLimits counts against their client: each must be released when it ends, however it ends. */
    private static double inFlight(ChatProcess.Metrics m) {
        return m.sum("coursebot_http_requests_in_flight");
    }

    private static double poolInUse(ChatProcess.Metrics m) {
        return m.sum("sql_pool_active") + m.sum("sql_pool_queue_size");
    }

    /** What the test compares before and after. */
    record Figures(ChatStreams upstream, double connections, int clientSockets, double requests, double inFlight,
            double abandoned, int openAiSockets, double poolInUse, int databaseSockets, double heapMb, double openFiles,
            double peakRssMb) {

        static String table(Figures before, Figures after) {
            StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "| %-42s | %8s | %8s |%n|%s|%s|%s|%n",
                    "figure", "before", "after", "-".repeat(44), "-".repeat(10), "-".repeat(10)));
            row(t, "upstream streams opened", before.upstream.opened(), after.upstream.opened());
            row(t, "upstream streams cancelled", before.upstream.cancelled(), after.upstream.cancelled());
            row(t, "upstream streams completed", before.upstream.completed(), after.upstream.completed());
            row(t, "upstream streams still open", before.upstream.open(), after.upstream.open());
            row(t, "open HTTP connections (scrape included)", before.connections, after.connections);
            row(t, "sockets from clients (after the scrape)", before.clientSockets, after.clientSockets);
            row(t, "HTTP requests in flight (scrape included)", before.requests, after.requests);
            row(t, "requests counted by the per-client limit", before.inFlight, after.inFlight);
            row(t, "SSE answers abandoned (counter)", before.abandoned, after.abandoned);
            row(t, "sockets to OpenAI (fake: embeddings, chat)", before.openAiSockets, after.openAiSockets);
            row(t, "DB pool in use (active + queued)", before.poolInUse, after.poolInUse);
            row(t, "sockets to PostgreSQL", before.databaseSockets, after.databaseSockets);
            row(t, "open files (sockets included)", before.openFiles, after.openFiles);
            row(t, "heap used after full GC (MB; not a leak check)", before.heapMb, after.heapMb);
            row(t, "VmHWM (MB)", before.peakRssMb, after.peakRssMb);
            return t.toString();
        }

        private static void row(StringBuilder t, String name, double before, double after) {
            String format = before == Math.rint(before) && after == Math.rint(after) ? "| %-42s | %8.0f | %8.0f |%n"
                    : "| %-42s | %8.1f | %8.1f |%n";
            t.append(String.format(Locale.ROOT, format, name, before, after));
        }
    }

    /** A class whose live instances grew between two histograms. */
    record Growth(String className, long before, long after) {

        long gained() {
            return after - before;
        }

        /**
         * The {@code n} classes that gained the most live instances from {@code before} to {@code after}, arrays and
         * strings aside: their counts swing by a thousand between histograms with the JVM's own caches (a run gained
         * 1,060 int[] while the heap shrank by 490 KB), which says nothing of what an answer keeps.
         */
        static List<Growth> largest(Map<String, Long> before, Map<String, Long> after, int n) {
            return after.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("[") && !e.getKey().endsWith("[]")
                            && !e.getKey().equals("java.lang.String"))
                    .map(e -> new Growth(e.getKey(), before.getOrDefault(e.getKey(), 0L), e.getValue()))
                    .sorted(Comparator.comparingLong(Growth::gained).reversed()).limit(n).toList();
        }

        @Override
        public String toString() {
            return className + " " + before + " -> " + after;
        }
    }
}
