package org.coursebot.ingest.pipeline;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.common.ProblemException;
import org.coursebot.ingest.crawl.SourcesConfig;

/** Runs each source on its cron schedule, and every source once at start-up when asked to. */
@ApplicationScoped
public class IngestSchedule {

    private final Scheduler scheduler;
    private final SourcesConfig sources;
    private final IngestConfig config;
    private final IngestRuns runs;

    public IngestSchedule(Scheduler scheduler, SourcesConfig sources, IngestConfig config, IngestRuns runs) {
        this.scheduler = scheduler;
        this.sources = sources;
        this.config = config;
        this.runs = runs;
    }

    void start(@Observes StartupEvent event) {
        sources.sources().forEach((name, source) -> source.schedule().ifPresent(cron -> {
            try {
                scheduler.newJob("ingest-" + name).setCron(cron).setAsyncTask(execution -> trigger(name, "schedule")).schedule();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("coursebot.sources.\"" + name + "\".schedule is not a unix cron"
                        + " expression (minute hour day-of-month month day-of-week), got '" + cron + "': " + e.getMessage());
            }
            Log.infof("source %s: ingest scheduled (%s)", name, cron);
        }));
        if (config.onStart()) {
            sources.sources().keySet().stream().sorted().findFirst()
                    .ifPresent(name -> trigger(name, "startup").subscribe().with(x -> { }));
        }
    }

    private Uni<Void> trigger(String source, String trigger) {
        return runs.start(source, trigger, false).replaceWithVoid()
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    // Another run (here or on another instance) holds the lock: this tick is skipped, not queued.
                    Log.infof("%s ingest of %s skipped: %s", trigger, source, e.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure().invoke(e -> Log.errorf(e, "%s ingest of %s could not start", trigger, source))
                .onFailure().recoverWithNull();
    }
}
