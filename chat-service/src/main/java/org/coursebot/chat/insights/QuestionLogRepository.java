package org.coursebot.chat.insights;

import java.util.List;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The question log's statements, sent through the {@code insights} datasource: the role that may only INSERT into the
 * log tables (INSIGHTS_DATABASE_URL), one connection ({@link QuestionLogPoolCreator}). {@link QuestionLog} queues and
 * batches; this writes a batch.
 */
@ApplicationScoped
class QuestionLogRepository {

    /**
     * A batch in one statement (arrays unnested into rows): one round trip, and one statement_timeout for the whole
     * batch, so a batch the database cancels is rolled back whole (a pipelined batch of INSERTs would restart the
     * timeout for each row).
     */
    static final String INSERT_QUESTIONS = """
            INSERT INTO question_log (answer_id, asked_at, question, covered, mode, degraded, coverage, top_similarity,
                                      cited, latency_ms, client_key, channel, source, space_id, embedding,
                                      searched_for, follow_up, exercise_request, exercise)
            SELECT answer_id, asked_at, question, covered, mode, degraded, coverage::jsonb, top_similarity, cited::jsonb,
                   latency_ms, client_key, channel, source, space_id, embedding::vector, searched_for, follow_up,
                   exercise_request, exercise
              FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::boolean[], $5::text[], $6::boolean[],
                          $7::text[], $8::float8[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[],
                          $14::int[], $15::text[], $16::text[], $17::boolean[], $18::boolean[], $19::text[])
                   AS r (answer_id, asked_at, question, covered, mode, degraded, coverage, top_similarity, cited,
                         latency_ms, client_key, channel, source, space_id, embedding, searched_for, follow_up,
                         exercise_request, exercise)
            """;

    static final String INSERT_FEEDBACK = """
            INSERT INTO answer_feedback (id, answer_id, given_at, helpful, comment)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::text[])
            """;

    /** Null when the datasource is inactive: no INSIGHTS_DATABASE_URL, nothing is logged. */
    private final Pool pool;

    QuestionLogRepository(@ReactiveDataSource(InsightsDatabaseUrlConfigSource.DATASOURCE) InjectableInstance<Pool> pool) {
        List<Pool> active = pool.listActive();
        this.pool = active.isEmpty() ? null : active.get(0);
    }

    /** Whether the log has a database to write to. */
    boolean connected() {
        return pool != null;
    }

    /** A batch: its questions, then its feedback (either null when the batch has none of that kind). */
    Uni<Void> insert(Tuple questions, Tuple feedback) {
        Uni<?> written = questions == null ? Uni.createFrom().voidItem()
                : pool.preparedQuery(INSERT_QUESTIONS).execute(questions);
        return written.chain(x -> feedback == null ? Uni.createFrom().voidItem()
                : pool.preparedQuery(INSERT_FEEDBACK).execute(feedback)).replaceWithVoid();
    }
}
