package org.coursebot.ingest.store;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The SQL of {@code course_policy} (V10): each course's choice for exercise requests, which chat-service reads. */
@ApplicationScoped
public class CoursePolicyRepository {

    // updated_at says since when the course has had its current policy: rewriting the same value leaves it.
    private static final String UPSERT = """
            INSERT INTO course_policy (source, exercises) VALUES ($1, $2)
            ON CONFLICT (source) DO UPDATE SET exercises = EXCLUDED.exercises, updated_at = now()
             WHERE course_policy.exercises IS DISTINCT FROM EXCLUDED.exercises
            """;

    private static final String FIND = "SELECT exercises FROM course_policy WHERE source = $1";

    private final Pool pool;

    public CoursePolicyRepository(Pool pool) {
        this.pool = pool;
    }

    /** Writes the course's policy ({@code guide} or {@code open}). */
    public Uni<Void> upsert(String source, String exercises) {
        return pool.preparedQuery(UPSERT).execute(Tuple.of(source, exercises)).replaceWithVoid();
    }

    /** The course's policy as last written, if one was. */
    public Uni<Optional<String>> find(String source) {
        return pool.preparedQuery(FIND).execute(Tuple.of(source)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(rows.iterator().next().getString("exercises")));
    }
}
