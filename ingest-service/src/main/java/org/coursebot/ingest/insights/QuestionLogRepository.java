package org.coursebot.ingest.insights;

import java.time.Instant;
import java.time.ZoneOffset;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.insights.QuestionLogRetention.Expired;

/** The question log's statements on ingest-service's side, the tables' owner: what the retention deletes. */
@ApplicationScoped
public class QuestionLogRepository {

    static final String EXPIRE = """
            WITH questions AS (DELETE FROM question_log WHERE asked_at < $1::timestamptz RETURNING 1),
                 feedback AS (DELETE FROM answer_feedback WHERE given_at < $1::timestamptz RETURNING 1)
            SELECT (SELECT count(*) FROM questions) AS questions, (SELECT count(*) FROM feedback) AS feedback
            """;
    private final Pool pool;

    public QuestionLogRepository(Pool pool) {
        this.pool = pool;
    }

    /** Deletes questions asked and feedback given before {@code before}, in one statement. */
    public Uni<Expired> expire(Instant before) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> {
            var r = rows.iterator().next();
            return new Expired(r.getLong("questions"), r.getLong("feedback"));
        });
    }
}
