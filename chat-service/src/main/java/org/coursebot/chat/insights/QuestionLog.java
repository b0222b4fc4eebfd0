package org.coursebot.chat.insights;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.chat.answer.AnsweredQuestion;
import org.coursebot.chat.insights.LogEntry.Asked;
import org.coursebot.chat.insights.LogEntry.Feedback;
import org.coursebot.chat.privacy.ClientKeys;

/**
 * The question log's writer: answered questions and feedback wait in a bounded queue ({@link LogQueue}) and are
 * written in batches ({@link LogBatch}), one batch at a time, through the role that may only INSERT into the log
 * tables ({@link QuestionLogRepository}). Nothing here is on an answer's path: {@link #record} only offers to the
 * queue, and what a full queue or a failed write loses is counted ({@code coursebot.insights.dropped} in /q/metrics),
 * never waited for.
 */
@ApplicationScoped
public class QuestionLog {

    /** What {@link #feedback} did with it. */
    public enum Accepted { QUEUED, QUEUE_FULL, NOT_RECORDING }

    private final InsightsConfig config;
    private final ObjectMapper json;
    private final ClientKeys clientKeys;
    private final QuestionLogRepository repository;
    private final boolean recording;
    private final LogQueue queue;
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Set<String> recent;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter writtenQuestions;
    private final Counter writtenFeedback;
    private final long timer;
    private final Vertx vertx;
    private volatile long lastFailureWarning;

    public QuestionLog(InsightsConfig config, QuestionLogRepository repository, Vertx vertx, ObjectMapper json,
            MeterRegistry registry, ClientKeys clientKeys) {
        this.config = config;
        this.repository = repository;
        this.vertx = vertx;
        this.json = json;
        this.clientKeys = clientKeys;
        this.queue = new LogQueue(config.queueMemory().asLongValue(), registry);
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
        this.recording = config.enabled() && repository.connected();
        if (config.enabled() && !repository.connected()) {
            Log.warn("question log off: INSIGHTS_DATABASE_URL is not set; see docs/insights.md");
        }
        this.timer = recording ? vertx.setPeriodic(Math.max(10, config.flushInterval().toMillis()), id -> write()) : -1;
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
        return recording;
    }

    /** Queues an answered question (ChatService announces each); never waits, and never fails the answer. */
    void record(@Observes AnsweredQuestion question) {
        if (!recording) {
            return;
        }
        long bytes = Asked.bytes(question);
        if (!queue.reserve(bytes)) {
            droppedFull.increment();
            return;
        }
        Asked asked;
        try {
            asked = Asked.of(question, bytes);
        } catch (RuntimeException e) {
            queue.release(bytes);
            droppedFailed.increment();
            Log.warnf(e, "question log: an answer could not be logged; the answer is not affected");
            return;
        }
        recent.add(question.answer().answerId());
        enqueue(asked);
    }

    /** Queues feedback on an answer; never waits. */
    public Accepted feedback(UUID answerId, boolean helpful, String comment) {
        if (!recording) {
            return Accepted.NOT_RECORDING;
        }
        Feedback feedback = new Feedback(UUID.randomUUID(), answerId, Instant.now(), helpful, comment);
        if (!queue.reserve(feedback.bytes())) {
            droppedFull.increment();
            return Accepted.QUEUE_FULL;
        }
        enqueue(feedback);
        return Accepted.QUEUED;
    }

    private void enqueue(LogEntry entry) {
        if (queue.add(entry) >= config.batchSize()) {
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
        List<LogEntry> entries = queue.take(config.batchSize());
        if (entries.isEmpty()) {
            writing.set(false);
            return;
        }
        Uni.createFrom().item(() -> LogBatch.of(entries, clientKeys, json))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(batch -> repository.insert(batch.questions(), batch.feedback()).replaceWith(batch))
                // Past the server's own timeout: the connection or the server is gone, not the statement slow.
                .ifNoItem().after(config.writeTimeout().plusSeconds(5)).failWith(() -> new IllegalStateException(
                        "no answer from the log database within " + config.writeTimeout().plusSeconds(5).toMillis() + " ms"))
                .subscribe().with(batch -> {
                    writtenQuestions.increment(batch.questionCount());
                    writtenFeedback.increment(batch.feedbackCount());
                    written();
                }, e -> {
                    droppedFailed.increment(entries.size());
                    long now = System.currentTimeMillis();
                    if (now - lastFailureWarning > 60_000) {
                        lastFailureWarning = now;
                        Log.warnf("question log: a batch of %d rows was not written (%s)%s; answers go on",
                                entries.size(), e.getMessage(), readOnly(e)
                                        ? ": INSIGHTS_DATABASE_URL must name the primary, never a read replica" : "");
                    }
                    written();
                });
    }

    /** PostgreSQL's read_only_sql_transaction: what a hot standby answers to an INSERT. */
    private static boolean readOnly(Throwable e) {
        return e instanceof PgException pg && "25006".equals(pg.getSqlState());
    }

    private void written() {
        writing.set(false);
        if (queue.size() >= config.batchSize()) {
            vertx.runOnContext(this::write);
        }
    }

    /** Writes what is queued before the process ends, for at most a few seconds. */
    void flushOnShutdown(@Observes ShutdownEvent event) {
        if (!recording) {
            return;
        }
        vertx.cancelTimer(timer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (queue.size() > 0 && System.nanoTime() < deadline) {
            write();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
