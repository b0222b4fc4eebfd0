package org.coursebot.chat.insights;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.insights.InsightsReport.CitedSection;
import org.coursebot.chat.insights.InsightsReport.ClosestSection;
import org.coursebot.chat.insights.InsightsReport.Day;
import org.coursebot.chat.insights.InsightsReport.ExerciseAsked;
import org.coursebot.chat.insights.InsightsReport.FeedbackSummary;
import org.coursebot.chat.insights.InsightsReport.Latency;
import org.coursebot.chat.insights.InsightsReport.Section;
import org.coursebot.model.StoredSpace;

/**
 * The SQL of the report, read with chat-service's read-only role (SELECT on the log tables, migration V5). Every
 * statement takes the period as $1 (from, inclusive) and $2 (to, exclusive), and the course as $3 (null: every
 * question and section; else the questions asked of that course and its sections). Feedback counts by its last word
 * on each answer.
 */
@ApplicationScoped
public class InsightsRepository {

    static final String SUMMARY = """
            WITH q AS (SELECT answer_id, covered, latency_ms FROM question_log
                        WHERE asked_at >= $1::timestamptz AND asked_at < $2::timestamptz
                          AND ($3::text IS NULL OR source = $3::text)),
                 rated AS (SELECT DISTINCT ON (f.answer_id) f.helpful
                             FROM answer_feedback f JOIN q ON q.answer_id = f.answer_id
                            ORDER BY f.answer_id, f.given_at DESC, f.id)
            SELECT (SELECT count(*) FROM q) AS questions,
                   (SELECT count(*) FROM q WHERE covered) AS covered,
                   (SELECT count(*) FROM rated) AS rated,
                   (SELECT count(*) FROM rated WHERE helpful) AS helpful,
                   (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) FROM q) AS p50,
                   (SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM q) AS p95
            """;

    /**
     * Every UTC day the period touches, with no questions too; with what the chat model's answers cost that day
     * (the course's, or every course's) and what the rate limits refused (every client's: limits are not per course).
     */
    static final String DAYS = """
            SELECT d::date AS day, count(q.answer_id) AS questions, count(q.answer_id) FILTER (WHERE q.covered) AS covered,
                   coalesce(s.spent_usd, 0) AS spent_usd, coalesce(s.written_answers, 0) AS written_answers,
                   coalesce(s.budget_downgrades, 0) AS budget_downgrades,
                   coalesce(l.refused_requests, 0) AS refused_requests, coalesce(l.limited_clients, 0) AS limited_clients
              FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                                   date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC' - interval '1 microsecond'),
                                   interval '1 day') AS d
              LEFT JOIN LATERAL (SELECT sum(a.spent_usd) AS spent_usd, sum(a.written_answers) AS written_answers,
                                        sum(a.budget_downgrades) AS budget_downgrades
                                   FROM answer_spend a
                                  WHERE a.day = d::date AND ($3::text IS NULL OR a.course = $3::text)) s ON true
              LEFT JOIN limit_day l ON l.day = d::date
              LEFT JOIN question_log q
                ON q.asked_at >= greatest(d AT TIME ZONE 'UTC', $1::timestamptz)
               AND q.asked_at < least((d + interval '1 day') AT TIME ZONE 'UTC', $2::timestamptz)
               AND ($3::text IS NULL OR q.source = $3::text)
             GROUP BY d, s.spent_usd, s.written_answers, s.budget_downgrades, l.refused_requests, l.limited_clients
             ORDER BY d
            """;

    /**
     * The questions of the gaps: not covered, or judged not helpful at last; the newest $4. A follow-up counts as what
     * it was searched as ("and how do I send it back?" alone says nothing of what is missing), whose vector it has.
     */
    static final String CANDIDATES = """
            SELECT q.answer_id, coalesce(q.searched_for, q.question) AS question, q.covered, q.space_id, q.embedding IS NOT NULL AS embedded, f.helpful
              FROM question_log q
              LEFT JOIN LATERAL (SELECT helpful FROM answer_feedback f WHERE f.answer_id = q.answer_id
                                  ORDER BY f.given_at DESC, f.id LIMIT 1) f ON true
             WHERE q.asked_at >= $1::timestamptz AND q.asked_at < $2::timestamptz AND (NOT q.covered OR NOT f.helpful)
               AND ($3::text IS NULL OR q.source = $3::text)
             ORDER BY q.asked_at DESC
             LIMIT $4::int
            """;

    /**
     * The pairs of those questions whose vectors are within $2 (cosine distance) of each other. The vectors are
     * stored out of line (V5): l2_normalize reads each once into the materialized set, where the join would otherwise
     * fetch both of a pair from TOAST for every pair (2,000 questions at 1536 dimensions: 8.7 s, then 3.6 s).
     */
    static final String PAIRS = """
            WITH c AS MATERIALIZED (SELECT answer_id, l2_normalize(embedding) AS embedding FROM question_log
                                     WHERE answer_id = ANY($1::uuid[]))
            SELECT a.answer_id AS a, b.answer_id AS b
              FROM c a JOIN c b ON a.answer_id < b.answer_id
             WHERE (a.embedding <=> b.embedding) <= $2::float8
            """;

    /**
     * The chunks nearest to a group's centre (the mean of its questions' vectors, $1 their ids), in the space's own
     * vectors ({vectors}: its table, from an int id), of the course $2 (null: every course). The centre is a scalar
     * subquery (an InitPlan, computed once per use), so the HNSW index can order by it.
     */
    static final String CLOSEST_TEMPLATE = """
            SELECT c.title, c.url,
                   1 - (v.embedding <=> (SELECT avg(embedding) FROM question_log WHERE answer_id = ANY($1::uuid[])))
                       AS similarity
              FROM {vectors} v JOIN course_chunk c ON c.id = v.id
             WHERE $2::text IS NULL OR c.source = $2::text
             ORDER BY v.embedding <=> (SELECT avg(embedding) FROM question_log WHERE answer_id = ANY($1::uuid[]))
             LIMIT 12
            """;

    static final String MOST_CITED = """
            SELECT s->>'url' AS url, min(s->>'title') AS title, count(*) AS citations
              FROM question_log q CROSS JOIN LATERAL jsonb_array_elements(q.cited) AS s
             WHERE q.asked_at >= $1::timestamptz AND q.asked_at < $2::timestamptz AND q.covered
               AND ($3::text IS NULL OR q.source = $3::text)
             GROUP BY s->>'url'
             ORDER BY citations DESC, url
             LIMIT 10
            """;

    /** The exercises asked for most; the link is the exercise section's, from the course as it is now. */
    static final String EXERCISE_REQUESTS = """
            SELECT q.exercise, count(*) AS requests, count(DISTINCT q.client_key) AS clients,
                   (SELECT min(c.url) FROM course_chunk c
                     WHERE c.content_type = 'exercise' AND c.title = q.exercise
                       AND ($3::text IS NULL OR c.source = $3::text)) AS url
              FROM question_log q
             WHERE q.asked_at >= $1::timestamptz AND q.asked_at < $2::timestamptz AND q.exercise_request
               AND ($3::text IS NULL OR q.source = $3::text)
             GROUP BY q.exercise
             ORDER BY requests DESC, q.exercise NULLS LAST
             LIMIT 20
            """;

    /** Sections (chunks by citation URL) of the course that no covered answer of the period cited; in course order. */
    static final String NEVER_CITED = """
            WITH cited AS (SELECT DISTINCT s->>'url' AS url
                             FROM question_log q CROSS JOIN LATERAL jsonb_array_elements(q.cited) AS s
                            WHERE q.asked_at >= $1::timestamptz AND q.asked_at < $2::timestamptz AND q.covered
                              AND ($3::text IS NULL OR q.source = $3::text)),
                 sections AS (SELECT url, min(title) AS title, min(source) AS source, min(page_url) AS page,
                                     min(position) AS position
                                FROM course_chunk WHERE $3::text IS NULL OR source = $3::text GROUP BY url)
            SELECT s.url, s.title, count(*) OVER () AS total
              FROM sections s
             WHERE NOT EXISTS (SELECT FROM cited WHERE cited.url = s.url)
             ORDER BY s.source, s.page, s.position, s.url
             LIMIT 50
            """;

    static final String ANSWERED = """
            SELECT EXISTS (SELECT FROM question_log WHERE answer_id = $1::uuid) AS found
            """;

    private final Pool pool;

    public InsightsRepository(Pool pool) {
        this.pool = pool;
    }

    /** A question of the gaps. */
    record Candidate(String answerId, String question, boolean covered, Integer spaceId, boolean embedded,
                     Boolean helpful) {
    }

    record Summary(long questions, long covered, FeedbackSummary feedback, Latency latency) {
    }

    Uni<Summary> summary(Instant from, Instant to, String source) {
        return pool.preparedQuery(SUMMARY).execute(period(from, to, source)).map(rows -> {
            Row r = rows.iterator().next();
            long rated = r.getLong("rated");
            long helpful = r.getLong("helpful");
            return new Summary(r.getLong("questions"), r.getLong("covered"),
                    new FeedbackSummary(rated, helpful, rated - helpful, InsightsReport.share(helpful, rated)),
                    new Latency(r.getLong("p50"), r.getLong("p95")));
        });
    }

    Uni<List<Day>> days(Instant from, Instant to, String source) {
        return pool.preparedQuery(DAYS).execute(period(from, to, source)).map(rows -> map(rows, r -> {
            long questions = r.getLong("questions");
            long covered = r.getLong("covered");
            return new Day(r.getLocalDate("day"), questions, covered, InsightsReport.share(covered, questions),
                    r.getBigDecimal("spent_usd").setScale(4, java.math.RoundingMode.HALF_UP).doubleValue(),
                    r.getLong("written_answers"), r.getLong("budget_downgrades"), r.getLong("refused_requests"),
                    r.getLong("limited_clients"));
        }));
    }

    Uni<List<Candidate>> candidates(Instant from, Instant to, String source, int limit) {
        return pool.preparedQuery(CANDIDATES).execute(period(from, to, source).addInteger(limit)).map(rows -> map(rows,
                r -> new Candidate(r.getUUID("answer_id").toString(), r.getString("question"), r.getBoolean("covered"),
                        r.getInteger("space_id"), r.getBoolean("embedded"), r.getBoolean("helpful"))));
    }

    Uni<List<String[]>> pairs(List<String> answerIds, double maxDistance) {
        return pool.preparedQuery(PAIRS).execute(Tuple.of(uuids(answerIds), maxDistance)).map(rows -> map(rows,
                r -> new String[] {r.getUUID("a").toString(), r.getUUID("b").toString()}));
    }

    /** The sections nearest to the centre of these questions, one per citation URL. */
    Uni<List<ClosestSection>> closest(StoredSpace space, List<String> answerIds, String source, int limit) {
        return pool.preparedQuery(CLOSEST_TEMPLATE.replace("{vectors}", space.vectorTable()))
                .execute(Tuple.of(uuids(answerIds), source)).map(rows -> {
                    List<ClosestSection> sections = new ArrayList<>();
                    for (Row r : rows) {
                        String url = r.getString("url");
                        if (sections.size() < limit && sections.stream().noneMatch(s -> s.url().equals(url))) {
                            sections.add(new ClosestSection(r.getString("title"), url,
                                    Math.round(r.getDouble("similarity") * 1000) / 1000.0));
                        }
                    }
                    return sections;
                });
    }

    Uni<List<CitedSection>> mostCited(Instant from, Instant to, String source) {
        return pool.preparedQuery(MOST_CITED).execute(period(from, to, source)).map(rows -> map(rows,
                r -> new CitedSection(r.getString("title"), r.getString("url"), r.getLong("citations"))));
    }

    Uni<List<ExerciseAsked>> exerciseRequests(Instant from, Instant to, String source) {
        return pool.preparedQuery(EXERCISE_REQUESTS).execute(period(from, to, source)).map(rows -> map(rows,
                r -> new ExerciseAsked(r.getString("exercise"), r.getString("url"), r.getLong("requests"),
                        r.getLong("clients"))));
    }

    record NeverCited(List<Section> sections, long total) {
    }

    Uni<NeverCited> neverCited(Instant from, Instant to, String source) {
        return pool.preparedQuery(NEVER_CITED).execute(period(from, to, source)).map(rows -> {
            List<Section> sections = new ArrayList<>();
            long total = 0;
            for (Row r : rows) {
                sections.add(new Section(r.getString("title"), r.getString("url")));
                total = r.getLong("total");
            }
            return new NeverCited(sections, total);
        });
    }

    /** Whether an answer with this id was logged. */
    public Uni<Boolean> answered(UUID answerId) {
        return pool.preparedQuery(ANSWERED).execute(Tuple.of(answerId))
                .map(rows -> rows.iterator().next().getBoolean("found"));
    }

    private static Tuple period(Instant from, Instant to, String source) {
        return Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), source);
    }

    private static UUID[] uuids(List<String> ids) {
        return ids.stream().map(UUID::fromString).toArray(UUID[]::new);
    }

    private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> f) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(f.apply(r));
        }
        return out;
    }
}
