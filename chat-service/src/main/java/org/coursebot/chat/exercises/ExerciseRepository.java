package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The exercises ingest-service marked, and each course's policy for them: read over the search pool. */
@ApplicationScoped
public class ExerciseRepository {

    /** One row per exercise section (its chunks joined), in page order; which of them are exercises: {@link #exercises}. */
    static final String EXERCISES = """
            SELECT source, page_url, heading_path, min(title) AS title, min(url) AS url, min(position) AS position,
                   left(string_agg(content, E'\\n\\n' ORDER BY position), $1) AS statement
              FROM course_chunk
             WHERE content_type = 'exercise'
             GROUP BY source, page_url, heading_path
             ORDER BY source, page_url, position""";

    static final String POLICIES = "SELECT source, exercises FROM course_policy";

    /** Longest statement kept, in characters: a pasted statement is recognised from its first paragraphs. */
    static final int MAX_STATEMENT_CHARS = 4000;

    private final Pool pool;

    public ExerciseRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every course's exercises, by course. */
    public Uni<Map<String, List<ExerciseSection>>> exercises() {
        return pool.preparedQuery(EXERCISES).execute(Tuple.of(MAX_STATEMENT_CHARS)).map(rows -> {
            List<MarkedSection> marked = new ArrayList<>();
            rows.forEach(r -> marked.add(new MarkedSection(r.getString("page_url"), r.getString("heading_path"),
                    new ExerciseSection(r.getString("source"), r.getString("title"), r.getString("url"),
                            r.getString("statement")))));
            Map<String, List<ExerciseSection>> bySource = new HashMap<>();
            for (ExerciseSection e : exercises(marked)) {
                bySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e);
            }
            return bySource;
        });
    }

    /** A section ingest marked as an exercise, where it sits in its page. */
    record MarkedSection(String pageUrl, String headingPath, ExerciseSection section) {

        boolean under(MarkedSection other) {
            return pageUrl.equals(other.pageUrl()) && section.source().equals(other.section().source())
                    && headingPath.startsWith(other.headingPath() + " › ");
        }

        boolean numbered() {
            return NUMBERED.matcher(section.title()).find();
        }
    }

    private static final Pattern NUMBERED = Pattern.compile("\\d");

    /**
     * The exercises among the sections ingest marked: a section under another exercise is part of it ("Part a",
     * a hint box), unless that one only gathers exercises: an unnumbered heading ("Exercises") above numbered ones
     * ("Exercise 1.1", "Exercise 1.2"), whose own text introduces them and which is no exercise itself.
     */
    static List<ExerciseSection> exercises(List<MarkedSection> marked) {
        // Sections nest only within their page: compared page by page, not every section with every other.
        Map<String, List<MarkedSection>> byPage = new LinkedHashMap<>();
        marked.forEach(m -> byPage.computeIfAbsent(m.section().source() + "\n" + m.pageUrl(), k -> new ArrayList<>())
                .add(m));
        List<ExerciseSection> exercises = new ArrayList<>();
        for (List<MarkedSection> page : byPage.values()) {
            Set<MarkedSection> gatherers = new HashSet<>();
            for (MarkedSection m : page) {
                if (!m.numbered() && page.stream().anyMatch(child -> child.under(m) && child.numbered())) {
                    gatherers.add(m);
                }
            }
            for (MarkedSection m : page) {
                boolean partOfAnother = page.stream().anyMatch(parent -> m.under(parent) && !gatherers.contains(parent));
                if (!gatherers.contains(m) && !partOfAnother) {
                    exercises.add(m.section());
                }
            }
        }
        return exercises;
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
