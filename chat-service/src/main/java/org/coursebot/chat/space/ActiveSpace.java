package org.coursebot.chat.space;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;
import org.coursebot.model.StoredSpace;

/**
 * The embedding space chat-service searches: the database's active one, read at start-up and again every
 * {@code coursebot.search.space-poll-interval} on a Vert.x timer, so an activation by ingest-service is followed
 * without a restart. A failed read keeps the last known space: a database that blinks must not stop searches.
 */
@ApplicationScoped
public class ActiveSpace {

    /** PostgreSQL's undefined_table: a space's vector table dropped (retired) since it was last read. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final SpaceRepository spaces;
    private final SpaceEmbedders embedders;
    private final SpaceConfig config;
    private final Vertx vertx;
    private final AtomicReference<StoredSpace> current = new AtomicReference<>();
    /** A poll still waiting for the database: the next tick does not start a second one. */
    private final AtomicBoolean polling = new AtomicBoolean();
    /** In a streak of failed polls: logged once at its start and once at its end. */
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile long timer = -1;

    public ActiveSpace(SpaceRepository spaces, SpaceEmbedders embedders, SpaceConfig config, Vertx vertx) {
        this.spaces = spaces;
        this.embedders = embedders;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        poll();
        timer = vertx.setPeriodic(config.spacePollInterval().toMillis(), id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The last known active space; empty before the first read, or when the database has none. */
    public Optional<StoredSpace> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * The space a question searches: the last known one; before the first read (or while the database has none),
     * read now. Fails with a 503 problem when the database has no active space.
     */
    public Uni<StoredSpace> require() {
        StoredSpace known = current.get();
        return known != null ? Uni.createFrom().item(known) : refreshRequired();
    }

    /** Reads the active space now (a search that found its space's table gone), failing as {@link #require()}. */
    public Uni<StoredSpace> refreshRequired() {
        return refresh().map(found -> found.orElseThrow(() -> new ProblemException(Problem.of("no-active-space",
                "Service unavailable", 503, "no active embedding space: run an ingest first", Map.of()))));
    }

    /** Reads the active space now and records it (logging a change); fails as the query does. */
    public Uni<Optional<StoredSpace>> refresh() {
        return spaces.active().invoke(found -> record(found.orElse(null)));
    }

    /** Whether a search failed because its space's vector table is gone: worth reading the active space again. */
    public static boolean tableGone(Throwable e) {
        return e instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
    }

    private void poll() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        refresh().eventually(() -> polling.set(false)).subscribe().with(found -> {
            if (failing.compareAndSet(true, false)) {
                Log.infof("the active embedding space can be read again");
            }
        }, e -> {
            if (failing.compareAndSet(false, true)) {
                Log.warnf("cannot read the active embedding space (%s): still searching %s", e.getMessage(),
                        describe(current.get()));
            }
        });
    }

    private void record(StoredSpace now) {
        StoredSpace was = current.getAndSet(now);
        if (Objects.equals(now, was)) {
            return;
        }
        if (now == null) {
            Log.warnf("no embedding space is active: searches answer 503 until one is; was %s", describe(was));
            return;
        }
        Log.infof("now searching %s; was %s", describe(now), describe(was));
        // With the local model, loaded now rather than inside a question's deadline.
        embedders.warmUp(now);
    }

    /** "space 2 (openai text-embedding-3-small/1536)", as an operator reads it in the log. */
    static String describe(StoredSpace space) {
        return space == null ? "none" : "space " + space.id() + " (" + space.provider() + " " + space.space() + ")";
    }
}
