package org.coursebot.chat.insights;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.AnsweredQuestion;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.privacy.QuestionScrubber;
import org.coursebot.chat.search.Coverage;
import org.coursebot.model.Citation;

/**
 * The question log's writer: answered questions and feedback wait in a bounded queue and are written in batches,
 * one batch at a time, through a connection of their own as the role that may only INSERT into the log tables
 * (INSIGHTS_DATABASE_URL). Nothing here is on an answer's path: {@link #record} only offers to the queue, and what
 * a full queue or a failed write loses is counted ({@code coursebot.insights.dropped} in /q/metrics), never waited
 * for. The text is scrubbed and the client hashed when a batch is written, on a worker thread.
 */
@ApplicationScoped
public class QuestionLog {

    /** What {@link #feedback} did with it. */
    public enum Accepted { QUEUED, QUEUE_FULL, NOT_RECORDING }

    private record Feedback(UUID id, UUID answerId, Instant givenAt, boolean helpful, String comment) {

        long bytes() {
            return 160 + 2L * (comment == null ? 0 : comment.length());
        }
    }

    /**
     * What waits of an answered question: only what is logged, not the answer's text nor the sections it searched
     * (those would be ~20 KB an answer on a 20 MB heap), and the vector quantized (QuantizedVector). Scrubbing and
     * hashing are left to the writer. {@code searchedFor}: what a follow-up was searched as (null for a question
     * searched alone).
     */
    private record Pending(UUID answerId, Instant askedAt, String question, boolean covered, String mode,
                           boolean degraded, Coverage coverage, List<Map<String, String>> cited, int latencyMillis,
                           Asker asker, String source, Integer spaceId, byte[] vector, String searchedFor) {

        static Pending of(AnsweredQuestion q) {
            Answer answer = q.answer();
            return new Pending(UUID.fromString(answer.answerId()), q.askedAt(), q.question(), answer.covered(),
                    answer.mode(), answer.degraded(), q.search().coverage(),
                    answer.citations().stream().map((Citation c) -> Map.of("url", c.url(), "title", c.title())).toList(),
                    q.latencyMillis(), q.asker(), q.source(),
                    answer.embeddingSpace() == null ? null : answer.embeddingSpace().id(),
                    q.search().questionVector() == null ? null : QuantizedVector.of(q.search().questionVector()),
                    q.search().searched().followUp() ? q.search().searched().text() : null);
        }

        /** Roughly what it holds on the heap: the vector and the text dominate. */
        static long bytes(AnsweredQuestion q) {
            float[] vector = q.search().questionVector();
            return 512 + 2L * q.question().length() + (vector == null ? 0 : vector.length)
                    + (q.search().searched().followUp() ? 2L * q.search().searched().text().length() : 0)
                    + 160L * q.answer().citations().size();
        }
    }

    private final InsightsConfig config;
    private final ObjectMapper json;
    private final ClientKeys clientKeys;
    private final QuestionLogRepository repository;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    /** What the queue holds, estimated (Pending.bytes): bounded by coursebot.insights.queue-memory. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong queuedEntries = new AtomicLong();
    private final long capacityBytes;
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Set<String> recent;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter writtenQuestions;
    private final Counter writtenFeedback;
    private final long timer;
    private final Vertx vertx;
    private volatile long lastFailureWarning;

    public QuestionLog(InsightsConfig config, Vertx vertx, ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.clientKeys = ClientKeys.of(config.clientKeySecret());
        this.capacityBytes = config.queueMemory().asLongValue();
        int remembered = Math.max(1, config.recentAnswers());
        this.recent = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        }));
        this.droppedFull = dropped(registry, "queue-full", "the queue was full (the log database is slow or down)");
        this.droppedFailed = dropped(registry, "write-failed", "their batch failed or timed out");
        this.writtenQuestions = written(registry, "question");
        this.writtenFeedback = written(registry, "feedback");
        Gauge.builder("coursebot.insights.queued", queuedEntries, AtomicLong::get)
                .description("questions and feedback waiting to be written").register(registry);
        Gauge.builder("coursebot.insights.queued.bytes", queuedBytes, AtomicLong::get)
                .description("their estimated heap size (bounded by coursebot.insights.queue-memory)").register(registry);
        this.repository = config.enabled()
                ? config.databaseUrl().map(url -> QuestionLogRepository.open(vertx, url, config)).orElse(null) : null;
        if (config.enabled() && repository == null) {
            Log.warn("question log off: INSIGHTS_DATABASE_URL (coursebot.insights.database-url) is not set;"
                    + " see docs/insights.md");
        }
        this.timer = repository == null ? -1 : vertx.setPeriodic(Math.max(10, config.flushInterval().toMillis()), id -> write());
    }

    private static Counter dropped(MeterRegistry registry, String reason, String why) {
        return Counter.builder("coursebot.insights.dropped").tag("reason", reason)
                .description("questions and feedback not logged because " + why).register(registry);
    }

    private static Counter written(MeterRegistry registry, String kind) {
        return Counter.builder("coursebot.insights.written").tag("kind", kind)
                .description("rows written to the question log").register(registry);
    }

    /** Whether questions and feedback are being logged. */
    public boolean recording() {
        return repository != null;
    }

    /** Queues an answered question (ChatService announces each); never waits, and never fails the answer. */
    void record(@Observes AnsweredQuestion question) {
        if (repository == null) {
            return;
        }
        long bytes = Pending.bytes(question);
        if (!reserve(bytes)) {
            droppedFull.increment();
            return;
        }
        Pending pending;
        try {
            pending = Pending.of(question);
        } catch (RuntimeException e) {
            queuedBytes.addAndGet(-bytes);
            droppedFailed.increment();
            Log.warnf(e, "question log: an answer could not be logged; the answer is not affected");
            return;
        }
        recent.add(question.answer().answerId());
        enqueue(new Queued(pending, bytes));
    }

    /** Queues feedback on an answer; never waits. */
    public Accepted feedback(UUID answerId, boolean helpful, String comment) {
        if (repository == null) {
            return Accepted.NOT_RECORDING;
        }
        Feedback feedback = new Feedback(UUID.randomUUID(), answerId, Instant.now(), helpful, comment);
        if (!reserve(feedback.bytes())) {
            droppedFull.increment();
            return Accepted.QUEUE_FULL;
        }
        enqueue(new Queued(feedback, feedback.bytes()));
        return Accepted.QUEUED;
    }

    /** An entry of the queue: a Pending question or a Feedback, and its estimated size. */
    private record Queued(Object entry, long bytes) {
    }

    private boolean reserve(long bytes) {
        while (true) {
            long now = queuedBytes.get();
            if (now + bytes > capacityBytes) {
                return false;
            }
            if (queuedBytes.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private void enqueue(Queued queued) {
        queue.add(queued);
        if (queuedEntries.incrementAndGet() >= config.batchSize()) {
            write();
        }
    }

    /** Whether this process gave that answer recently (it may not be written yet). */
    public boolean answeredRecently(String answerId) {
        return recent.contains(answerId);
    }

    /** Writes the next batch unless one is being written; the next tick or a full batch starts another. */
    void write() {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        List<Object> batch = new ArrayList<>(config.batchSize());
        Queued next;
        while (batch.size() < config.batchSize() && (next = queue.poll()) != null) {
            batch.add(next.entry());
            queuedEntries.decrementAndGet();
            queuedBytes.addAndGet(-next.bytes());
        }
        if (batch.isEmpty()) {
            writing.set(false);
            return;
        }
        Uni.createFrom().item(() -> Rows.of(batch, this)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(this::insert)
                // Past the server's own timeout: the connection or the server is gone, not the statement slow.
                .ifNoItem().after(config.writeTimeout().plusSeconds(5)).failWith(() -> new IllegalStateException(
                        "no answer from the log database within " + config.writeTimeout().plusSeconds(5).toMillis() + " ms"))
                .subscribe().with(rows -> {
                    writtenQuestions.increment(rows.questionCount());
                    writtenFeedback.increment(rows.feedbackCount());
                    written();
                }, e -> {
                    droppedFailed.increment(batch.size());
                    long now = System.currentTimeMillis();
                    if (now - lastFailureWarning > 60_000) {
                        lastFailureWarning = now;
                        Log.warnf("question log: a batch of %d rows was not written (%s); answers go on", batch.size(),
                                e.getMessage());
                    }
                    written();
                });
    }

    private void written() {
        writing.set(false);
        if (queuedEntries.get() >= config.batchSize()) {
            vertx.runOnContext(this::write);
        }
    }

    private Uni<Rows> insert(Rows rows) {
        return repository.insert(rows.questions(), rows.feedback()).replaceWith(rows);
    }

    /** A batch as the two statements' parameters (null: none of that kind), with how many rows each holds. */
    private record Rows(Tuple questions, int questionCount, Tuple feedback, int feedbackCount) {

        static Rows of(List<Object> batch, QuestionLog log) {
            List<Pending> questions = new ArrayList<>();
            List<Feedback> feedback = new ArrayList<>();
            for (Object entry : batch) {
                if (entry instanceof Pending q) {
                    questions.add(q);
                } else if (entry instanceof Feedback f) {
                    feedback.add(f);
                }
            }
            return new Rows(questions.isEmpty() ? null : log.questionColumns(questions), questions.size(),
                    feedback.isEmpty() ? null : feedbackColumns(feedback), feedback.size());
        }
    }

    /** One array per column; scrubbing and the client hash happen here, on a worker thread. */
    private Tuple questionColumns(List<Pending> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] asked = new OffsetDateTime[n];
        String[] questions = new String[n];
        Boolean[] covered = new Boolean[n];
        String[] modes = new String[n];
        Boolean[] degraded = new Boolean[n];
        String[] coverage = new String[n];
        Double[] top = new Double[n];
        String[] cited = new String[n];
        Integer[] latency = new Integer[n];
        String[] clients = new String[n];
        String[] channels = new String[n];
        String[] sources = new String[n];
        Integer[] spaces = new Integer[n];
        String[] vectors = new String[n];
        String[] searchedFor = new String[n];
        Boolean[] followUps = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Pending q = rows.get(i);
            ids[i] = q.answerId();
            asked[i] = utc(q.askedAt());
            questions[i] = QuestionScrubber.scrub(q.question());
            covered[i] = q.covered();
            modes[i] = q.mode();
            degraded[i] = q.degraded();
            coverage[i] = text(q.coverage());
            top[i] = q.coverage().signals() == null ? null : q.coverage().signals().topSimilarity();
            cited[i] = text(q.cited());
            latency[i] = q.latencyMillis();
            clients[i] = clientKeys.of(q.asker().client(), q.askedAt());
            channels[i] = q.asker().channel();
            sources[i] = q.source();
            spaces[i] = q.spaceId();
            vectors[i] = q.vector() == null ? null : QuantizedVector.text(q.vector());
            searchedFor[i] = q.searchedFor() == null ? null : QuestionScrubber.scrub(q.searchedFor());
            followUps[i] = q.searchedFor() != null;
        }
        return Tuple.tuple(java.util.Arrays.asList(ids, asked, questions, covered, modes, degraded, coverage, top, cited,
                latency, clients, channels, sources, spaces, vectors, searchedFor, followUps));
    }

    private static Tuple feedbackColumns(List<Feedback> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        UUID[] answers = new UUID[n];
        OffsetDateTime[] given = new OffsetDateTime[n];
        Boolean[] helpful = new Boolean[n];
        String[] comments = new String[n];
        for (int i = 0; i < n; i++) {
            Feedback f = rows.get(i);
            ids[i] = f.id();
            answers[i] = f.answerId();
            given[i] = utc(f.givenAt());
            helpful[i] = f.helpful();
            comments[i] = f.comment() == null ? null : QuestionScrubber.scrub(f.comment());
        }
        return Tuple.of(ids, answers, given, helpful, comments);
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    /** Writes what is queued before the process ends, for at most a few seconds. */
    void flushOnShutdown(@Observes ShutdownEvent event) {
        if (repository == null) {
            return;
        }
        vertx.cancelTimer(timer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (queuedEntries.get() > 0 && System.nanoTime() < deadline) {
            write();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void close() {
        if (repository != null) {
            repository.close();
        }
    }
}
