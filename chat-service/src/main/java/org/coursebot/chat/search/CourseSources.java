package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;

/**
 * The courses one deployment answers from: the sources of ingest-service ({@code course_chunk.source}), read at
 * start-up and every minute. A question may be limited to one of them ({@code source} on /api/chat and /api/search,
 * the model {@code coursebot-<source>} on /v1); a name no chunk has is a 400 problem naming it, after one fresh read
 * (a course ingested since the last one is found at once).
 */
@ApplicationScoped
public class CourseSources {

    private static final long REFRESH_MILLIS = 60_000;
    private final SearchRepository repository;
    private final Vertx vertx;
    /** The courses with their chunk counts, and the sum of those, as one read left them. */
    private record Courses(Map<String, Long> chunks, long total) {
    }

    private final AtomicReference<Courses> known = new AtomicReference<>(new Courses(Map.of(), 0));
    private volatile long timer = -1;

    public CourseSources(SearchRepository repository, Vertx vertx) {
        this.repository = repository;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        refresh().subscribe().with(ignored -> { }, e -> Log.debugf("course sources not read yet: %s", e.getMessage()));
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh().subscribe().with(ignored -> { },
                e -> Log.debugf("course sources not refreshed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The courses as last read, sorted. */
    public Set<String> known() {
        return known.get().chunks().keySet();
    }

    /** The number of chunks of a course as last read (at most a minute old), -1 for a course not known. */
    public long chunks(String source) {
        return known.get().chunks().getOrDefault(source, -1L);
    }

    /** The number of chunks of every course, as last read. */
    public long totalChunks() {
        return known.get().total();
    }

    /** The courses, read now. */
    public Uni<Set<String>> refresh() {
        return repository.sources().map(sources -> {
            known.set(new Courses(Collections.unmodifiableSortedMap(sources),
                    sources.values().stream().mapToLong(Long::longValue).sum()));
            return known();
        });
    }

    /**
     * {@code source} when a course of that name exists, null for none (every course); else fails with a 400 problem
     * naming {@code field} and the courses there are.
     */
    public Uni<String> require(String source, String field) {
        if (source == null || source.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return exists(source).map(found -> {
            if (!found) {
                throw unknown(source, field, known());
            }
            return source;
        });
    }

    /** Whether a course of that name exists: as last read, else read again once (it may be new). */
    public Uni<Boolean> exists(String source) {
        if (known.get().chunks().containsKey(source)) {
            return Uni.createFrom().item(Boolean.TRUE);
        }
        return refresh().map(now -> now.contains(source));
    }

    /** The 400 problem for a course that does not exist. */
    private static ProblemException unknown(String source, String field, Set<String> known) {
        String message = "no course named '" + source + "'; the courses are " + new ArrayList<>(known);
        return new ProblemException(Problem.of("invalid-request", "Invalid request", 400, field + ": " + message,
                Map.of("fields", Map.of(field, message))));
    }
}
