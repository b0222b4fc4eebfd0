package org.coursebot.chat.exercises;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The courses' exercises and policies, read at start-up and every minute like the courses themselves: a question is
 * checked against them in memory, with no round trip. Until the first read succeeds there are none (every question is
 * answered as today), which the log says.
 */
@ApplicationScoped
public class CourseExercises {

    private static final long REFRESH_MILLIS = 60_000;

    private record Known(Map<String, List<ExerciseSection>> exercises, List<ExerciseSection> all,
                         Map<String, ExercisePolicy> policies) {
    }

    private final ExerciseRepository repository;
    private final Vertx vertx;
    private final AtomicReference<Known> known = new AtomicReference<>(new Known(Map.of(), List.of(), Map.of()));
    private volatile long timer = -1;

    public CourseExercises(ExerciseRepository repository, Vertx vertx) {
        this.repository = repository;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        refresh().subscribe().with(ignored -> { }, e -> Log.infof("exercises not read yet: %s", e.getMessage()));
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh().subscribe().with(ignored -> { },
                e -> Log.debugf("exercises not refreshed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads them now. */
    public Uni<Void> refresh() {
        return repository.exercises().chain(exercises -> repository.policies().map(policies -> {
            List<ExerciseSection> all = exercises.values().stream().flatMap(List::stream).toList();
            known.set(new Known(Map.copyOf(exercises), all, Map.copyOf(policies)));
            return null;
        }));
    }

    /** The exercises of one course, or of every course when {@code source} is null. */
    public List<ExerciseSection> of(String source) {
        Known now = known.get();
        return source == null ? now.all() : now.exercises().getOrDefault(source, List.of());
    }

    /** A course's policy; guide for a course ingest-service has not written one for. */
    public ExercisePolicy policy(String source) {
        return source == null ? ExercisePolicy.GUIDE : known.get().policies().getOrDefault(source, ExercisePolicy.GUIDE);
    }
}
