package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The exercises ingest-service marked, and each course's policy for them: read over the search pool. */
@ApplicationScoped
public class ExerciseRepository {

    /**
     * One row per exercise section (its chunks joined), in page order. A section that only holds exercises (a page's
     * "Exercises" heading above "Exercise 1.1", "Exercise 1.2") is not one: its own text introduces them.
     */
    static final String EXERCISES = """
            WITH section AS (
                SELECT source, page_url, heading_path, min(title) AS title, min(url) AS url, min(position) AS position,
                       left(string_agg(content, E'\\n\\n' ORDER BY position), $1) AS statement
                  FROM course_chunk
                 WHERE content_type = 'exercise'
                 GROUP BY source, page_url, heading_path)
            SELECT s.source, s.title, s.url, s.statement
              FROM section s
             WHERE NOT EXISTS (SELECT FROM section child
                                WHERE child.source = s.source AND child.page_url = s.page_url
                                  AND starts_with(child.heading_path, s.heading_path || ' › '))
             ORDER BY s.source, s.page_url, s.position""";

    static final String POLICIES = "SELECT source, exercises FROM course_policy";

    /** Longest statement kept, in characters: a pasted statement is recognised from its first paragraphs. */
    static final int MAX_STATEMENT_CHARS = 4000;

    private final Pool pool;

    public ExerciseRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every course's exercises, by course. */
    public Uni<Map<String, List<ExerciseSection>>> exercises() {
        return pool.preparedQuery(EXERCISES).execute(Tuple.of(MAX_STATEMENT_CHARS))
                .map(rows -> {
                    Map<String, List<ExerciseSection>> bySource = new HashMap<>();
                    rows.forEach(r -> bySource.computeIfAbsent(r.getString("source"), s -> new ArrayList<>())
                            .add(new ExerciseSection(r.getString("source"), r.getString("title"), r.getString("url"),
                                    r.getString("statement"))));
                    return bySource;
                });
    }

    /** Each course's policy as ingest-service last wrote it; a course without a row is guided. */
    public Uni<Map<String, ExercisePolicy>> policies() {
        return pool.query(POLICIES).execute().map(rows -> {
            Map<String, ExercisePolicy> policies = new HashMap<>();
            rows.forEach(r -> policies.put(r.getString("source"), ExercisePolicy.of(r.getString("exercises"))));
            return policies;
        });
    }
}
