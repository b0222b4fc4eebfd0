package org.coursebot.ingest.store;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The SQL that reads a course's exercise sections out of {@code course_chunk}. */
@ApplicationScoped
public class ExerciseRepository {

    // One row per section: its chunks share page, heading path, title and citation url. Sections without an id
    // share the page's url, so the url alone does not tell them apart. Read through the (source, page_url) index.
    private static final String SECTIONS = """
            SELECT title, url, page_url, heading_path
              FROM course_chunk
             WHERE source = $1 AND content_type = 'exercise'
             GROUP BY page_url, heading_path, title, url
             ORDER BY page_url, min(position)
            """;

    private static final String ANY_CHUNK = "SELECT EXISTS (SELECT 1 FROM course_chunk WHERE source = $1) AS known";

    private final Pool pool;

    public ExerciseRepository(Pool pool) {
        this.pool = pool;
    }

    /** The course's exercise sections, in page then position order. */
    public Uni<List<ExerciseSection>> sections(String source) {
        return pool.preparedQuery(SECTIONS).execute(Tuple.of(source)).map(rows -> {
            List<ExerciseSection> sections = new ArrayList<>(rows.size());
            rows.forEach(r -> sections.add(new ExerciseSection(r.getString("title"), r.getString("url"),
                    r.getString("page_url"), r.getString("heading_path"))));
            return sections;
        });
    }

    /** Whether the database holds any chunk of the course. */
    public Uni<Boolean> anyChunk(String source) {
        return pool.preparedQuery(ANY_CHUNK).execute(Tuple.of(source))
                .map(rows -> rows.iterator().next().getBoolean("known"));
    }

    /** An exercise section as stored: its title, citation url, page and heading path. */
    public record ExerciseSection(String title, String url, String pageUrl, String headingPath) {
    }
}
