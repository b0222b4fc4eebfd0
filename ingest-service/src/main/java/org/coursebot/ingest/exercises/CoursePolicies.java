package org.coursebot.ingest.exercises;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.ingest.crawl.SourcesConfig;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.store.CoursePolicyRepository;

/**
 * Publishes each configured course's {@code exercises} policy to {@code course_policy}, where chat-service reads it
 * (it cannot read ingest-service's configuration): at start-up, so that a changed policy and a restart are enough, and
 * again at the start of each of the course's runs. A write that fails never stops the service or a run: it is logged,
 * and the next run's start (or restart) writes the policy again.
 */
@ApplicationScoped
public class CoursePolicies {

    private final SourcesConfig sources;
    private final CoursePolicyRepository policies;

    public CoursePolicies(SourcesConfig sources, CoursePolicyRepository policies) {
        this.sources = sources;
        this.policies = policies;
    }

    void writeAtStartup(@Observes StartupEvent event) {
        writeAll().subscribe().with(ignored -> { }, e -> Log.warnf("course policies not written: %s", e.getMessage()));
    }

    /** Writes every configured course's policy, one after the other; each failure is logged, none fails the rest. */
    public Uni<Void> writeAll() {
        return Multi.createFrom().iterable(sources.sources().keySet())
                .onItem().transformToUniAndConcatenate(this::write)
                .collect().last().replaceWithVoid();
    }

    /** Writes one configured course's policy; never fails (a failure is logged with what happens next). */
    public Uni<Void> write(String sourceName) {
        Source source = sources.sources().get(sourceName);
        if (source == null) {
            return Uni.createFrom().voidItem();
        }
        String policy = source.exercises().dbValue();
        return policies.upsert(sourceName, policy)
                .invoke(() -> Log.debugf("course %s: exercises policy %s written", sourceName, policy))
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("course %s: exercises policy '%s' not written to course_policy (%s); chat-service keeps "
                            + "the previous one until the next ingest run of the course or restart writes it", sourceName,
                            policy, e.getMessage());
                    return null;
                });
    }
}
