package org.coursebot.ingest.exercises;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;
import org.coursebot.ingest.crawl.ExercisePolicy;
import org.coursebot.ingest.crawl.SourcesConfig;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.store.CoursePolicyRepository;
import org.coursebot.ingest.store.ExerciseRepository;

/** A course's exercise sections as ingested, with its policy for requests for their solutions. */
@ApplicationScoped
public class ExerciseCatalog {

    private final SourcesConfig sources;
    private final ExerciseRepository exercises;
    private final CoursePolicyRepository policies;

    public ExerciseCatalog(SourcesConfig sources, ExerciseRepository exercises, CoursePolicyRepository policies) {
        this.sources = sources;
        this.exercises = exercises;
        this.policies = policies;
    }

    /**
     * The course's exercises; fails with a 404 problem when the course is neither configured nor in the database. A
     * course no longer configured answers with the policy it last had in {@code course_policy} (else the default).
     */
    public Uni<ExerciseList> list(String source) {
        Source configured = sources.sources().get(source);
        return exercises.sections(source).chain(sections -> known(source, configured, sections)
                .chain(() -> policy(source, configured))
                .map(policy -> new ExerciseList(source, policy, sections.size(), sections.stream()
                        .map(s -> new ExerciseList.Item(s.title(), s.url(), s.pageUrl(), s.headingPath())).toList())));
    }

    private Uni<Void> known(String source, Source configured, List<?> sections) {
        if (configured != null || !sections.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return exercises.anyChunk(source).invoke(any -> {
            if (!any) {
                throw new ProblemException(Problem.of("unknown-source", "Unknown source", 404, "no source named '"
                        + source + "': none is configured and the database holds none; configured: "
                        + sources.sources().keySet().stream().sorted().toList(), Map.of("source", source)));
            }
        }).replaceWithVoid();
    }

    private Uni<String> policy(String source, Source configured) {
        return configured != null ? Uni.createFrom().item(configured.exercises().dbValue())
                : policies.find(source).map(stored -> stored.orElse(ExercisePolicy.GUIDE.dbValue()));
    }
}
