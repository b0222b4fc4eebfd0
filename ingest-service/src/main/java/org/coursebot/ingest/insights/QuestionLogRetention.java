package org.coursebot.ingest.insights;

import java.time.Instant;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deletes what chat-service's question log holds beyond the retention, on a schedule. Here because ingest-service
 * owns the tables: chat-service's log role may only INSERT, its search role only SELECT.
 */
@ApplicationScoped
public class QuestionLogRetention {

    /** What one pass deleted. */
    public record Expired(long questions, long feedback) {
    }

    private final QuestionLogRepository repository;
    private final RetentionConfig config;
    private final Scheduler scheduler;

    public QuestionLogRetention(QuestionLogRepository repository, RetentionConfig config, Scheduler scheduler) {
        this.repository = repository;
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
        return repository.expire(before).map(expired -> {
            if (expired.questions() + expired.feedback() > 0) {
                Log.infof("question log retention: deleted %d questions and %d feedback older than %s",
                        expired.questions(), expired.feedback(), config.retention());
            }
            return expired;
        });
    }
}
