package org.coursebot.ingest.insights;

import java.time.Instant;
import java.time.ZoneOffset;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deletes what chat-service's question log holds beyond the retention, on a schedule. Here because ingest-service
 * owns the tables: chat-service's log role may only INSERT, its search role only SELECT.
 */
@ApplicationScoped
public class QuestionLogRetention {

    static final String EXPIRE = """
            WITH questions AS (DELETE FROM question_log WHERE asked_at < $1::timestamptz RETURNING 1),
                 feedback AS (DELETE FROM answer_feedback WHERE given_at < $1::timestamptz RETURNING 1)
            SELECT (SELECT count(*) FROM questions) AS questions, (SELECT count(*) FROM feedback) AS feedback
            """;

    /** What one pass deleted. */
    public record Expired(long questions, long feedback) {
    }

    private final Pool pool;
    private final RetentionConfig config;
    private final Scheduler scheduler;

    public QuestionLogRetention(Pool pool, RetentionConfig config, Scheduler scheduler) {
        this.pool = pool;
        this.config = config;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent event) {
        scheduler.newJob("question-log-retention").setInterval(config.retentionCheck().toSeconds() + "s")
                .setAsyncTask(execution -> expire().replaceWithVoid().onFailure().recoverWithItem(e -> {
                    Log.warnf("question log retention: %s (tried again in %s)", e.getMessage(), config.retentionCheck());
                    return null;
                }))
                .schedule();
    }

    /** Deletes questions asked and feedback given before now minus the retention. */
    public Uni<Expired> expire() {
        Instant before = Instant.now().minus(config.retention());
        return pool.preparedQuery(EXPIRE).execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> {
            var r = rows.iterator().next();
            Expired expired = new Expired(r.getLong("questions"), r.getLong("feedback"));
            if (expired.questions() + expired.feedback() > 0) {
                Log.infof("question log retention: deleted %d questions and %d feedback older than %s",
                        expired.questions(), expired.feedback(), config.retention());
            }
            return expired;
        });
    }
}
