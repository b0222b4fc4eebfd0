package org.coursebot.chat.exercises;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The courses' exercises and policies as last read, renewed when a question finds them older than
 * {@code coursebot.exercises.refresh-interval}: one read at a time, shared by the questions that wait for it. A read
 * that fails leaves the last one in place (none before the first: every question is then answered as any other).
 */
@ApplicationScoped
public class CourseExercises {

    /** The exercises by course and all together, each with its index ({@link ExerciseIndex}), as one read left them. */
    private record Known(Map<String, List<ExerciseSection>> exercises, List<ExerciseSection> all,
                         Map<String, ExerciseIndex> indexes, ExerciseIndex allIndexed,
                         Map<String, ExercisePolicy> policies, long readAtNanos) {
    }

    private final ExerciseRepository repository;
    private final long refreshNanos;
    private final AtomicReference<Known> known = new AtomicReference<>(
            new Known(Map.of(), List.of(), Map.of(), ExerciseIndex.EMPTY, Map.of(), System.nanoTime() - Long.MAX_VALUE / 2));
    private final AtomicReference<Uni<Void>> reading = new AtomicReference<>();

    public CourseExercises(ExerciseRepository repository, ExercisesConfig config) {
        this.repository = repository;
        this.refreshNanos = config.refreshInterval().toNanos();
    }

    /** Renews the read when it is older than the refresh interval; never fails. */
    public Uni<Void> fresh() {
        if (System.nanoTime() - known.get().readAtNanos() < refreshNanos) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> running = reading.get();
        if (running != null) {
            return running;
        }
        Uni<Void> read = refresh()
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("exercises not read (%s): the last read stands", e.getMessage());
                    return null;
                })
                .onTermination().invoke(() -> reading.set(null))
                .memoize().indefinitely();
        return reading.compareAndSet(null, read) ? read : fresh();
    }

    /** Reads them now. */
    public Uni<Void> refresh() {
        return repository.exercises().chain(exercises -> repository.policies().map(policies -> {
            Known last = known.get();
            if (last.exercises().equals(exercises)) { // as before: the indexes stand (building them is the cost)
                known.set(new Known(last.exercises(), last.all(), last.indexes(), last.allIndexed(),
                        Map.copyOf(policies), System.nanoTime()));
                return null;
            }
            List<ExerciseSection> all = exercises.values().stream().flatMap(List::stream).toList();
            Map<String, ExerciseIndex> indexes = new HashMap<>();
            exercises.forEach((source, sections) -> indexes.put(source, index(sections)));
            known.set(new Known(Map.copyOf(exercises), all, indexes, index(all), Map.copyOf(policies),
                    System.nanoTime()));
            return null;
        }));
    }

    /** The exercises of one course, or of every course when {@code source} is null, as last read. */
    public List<ExerciseSection> of(String source) {
        Known now = known.get();
        return source == null ? now.all() : now.exercises().getOrDefault(source, List.of());
    }

    /** The index of {@link #of}'s exercises. */
    public ExerciseIndex index(String source) {
        Known now = known.get();
        return source == null ? now.allIndexed() : now.indexes().getOrDefault(source, ExerciseIndex.EMPTY);
    }

    private static ExerciseIndex index(List<ExerciseSection> sections) {
        return new ExerciseIndex(sections.stream().map(ExerciseSection::exercise).toList());
    }

    /** A course's policy; guide for a course ingest-service has not written one for. */
    public ExercisePolicy policy(String source) {
        return source == null ? ExercisePolicy.GUIDE : known.get().policies().getOrDefault(source, ExercisePolicy.GUIDE);
    }
}
