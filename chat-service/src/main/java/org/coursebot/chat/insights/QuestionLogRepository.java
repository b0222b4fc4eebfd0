package org.coursebot.chat.insights;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.coursebot.common.DatabaseConnectOptions;
import org.coursebot.model.DatabaseUrl;

/**
 * The question log's statements, sent through a connection of its own as the role that may only INSERT into the log
 * tables (INSIGHTS_DATABASE_URL). {@link QuestionLog} queues and batches; this writes a batch.
 */
final class QuestionLogRepository {

    /**
     * A batch in one statement (arrays unnested into rows): one round trip, and one statement_timeout for the whole
     * batch, so a batch the database cancels is rolled back whole (a pipelined batch of INSERTs would restart the
     * timeout for each row).
     */
    static final String INSERT_QUESTIONS = """
            INSERT INTO question_log (answer_id, asked_at, question, covered, mode, degraded, coverage, top_similarity,
                                      cited, latency_ms, client_key, channel, source, space_id, embedding,
                                      searched_for, follow_up)
            SELECT answer_id, asked_at, question, covered, mode, degraded, coverage::jsonb, top_similarity, cited::jsonb,
                   latency_ms, client_key, channel, source, space_id, embedding::vector, searched_for, follow_up
              FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::boolean[], $5::text[], $6::boolean[],
                          $7::text[], $8::float8[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[],
                          $14::int[], $15::text[], $16::text[], $17::boolean[])
                   AS r (answer_id, asked_at, question, covered, mode, degraded, coverage, top_similarity, cited,
                         latency_ms, client_key, channel, source, space_id, embedding, searched_for, follow_up)
            """;

    static final String INSERT_FEEDBACK = """
            INSERT INTO answer_feedback (id, answer_id, given_at, helpful, comment)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::text[])
            """;

    private final Pool pool;

    private QuestionLogRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * One connection: the log's writes are serial, and never take the search's connections. The database itself ends
     * a write that takes longer than the write timeout (statement_timeout): the batch is rolled back, so what is
     * counted as failed was really not written.
     */
    static QuestionLogRepository open(Vertx vertx, String url, InsightsConfig config) {
        PgConnectOptions options = DatabaseConnectOptions.of(DatabaseUrl.parse("INSIGHTS_DATABASE_URL", url))
                .setConnectTimeout(5_000)
                .addProperty("options", "-c statement_timeout=" + Math.max(1, config.writeTimeout().toMillis()));
        return new QuestionLogRepository(PgPool.pool(vertx, options, new PoolOptions().setMaxSize(1)
                .setMaxWaitQueueSize(4).setName("coursebot-insights")));
    }

    /** A batch: its questions, then its feedback (either null when the batch has none of that kind). */
    Uni<Void> insert(Tuple questions, Tuple feedback) {
        Uni<?> written = questions == null ? Uni.createFrom().voidItem()
                : pool.preparedQuery(INSERT_QUESTIONS).execute(questions);
        return written.chain(x -> feedback == null ? Uni.createFrom().voidItem()
                : pool.preparedQuery(INSERT_FEEDBACK).execute(feedback)).replaceWithVoid();
    }

    void close() {
        pool.closeAndForget();
    }
}
