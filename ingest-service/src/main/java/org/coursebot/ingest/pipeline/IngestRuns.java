package org.coursebot.ingest.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;
import org.coursebot.ingest.crawl.SourcesConfig;
import org.coursebot.ingest.store.IngestLock;
import org.coursebot.ingest.store.IngestRun;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.ingest.store.RunStatus;
import org.coursebot.model.StoredSpace;

/** Starts, tracks and cancels ingest runs: one at a time per database, whoever asks. */
@ApplicationScoped
public class IngestRuns {

    private static final int LOCK_ATTEMPTS = 10;
    private static final Duration LOCK_RETRY_DELAY = Duration.ofMillis(100);
    /** The start-up check for runs of a dead process, which runs ask for wait for; done before start-up. */
    private volatile Uni<Void> startupCheck = Uni.createFrom().voidItem();
    /** Taking the lock again after its session ended: up to ~80 s of backoff, as long as a restart may take. */
    private static final Duration RELOCK_BACKOFF = Duration.ofMillis(500);
    private static final int RELOCK_RETRIES = 20;

    private final SourcesConfig sources;
    private final IngestLock lock;
    private final RunRepository runs;
    private final IngestPipeline pipeline;
    private final SpaceBuild build;
    private final Map<Long, RunProgress> active = new ConcurrentHashMap<>();

    public IngestRuns(SourcesConfig sources, IngestLock lock, RunRepository runs, IngestPipeline pipeline,
            SpaceBuild build) {
        this.build = build;
        this.sources = sources;
        this.lock = lock;
        this.runs = runs;
        this.pipeline = pipeline;
    }

    /**
     * A run of a process that died stays 'running' until someone holding the lock says otherwise: done at start-up,
     * holding the lock for a moment. Until that check is done, a run asked for waits for it: it would otherwise find
     * the lock held and the dead run recorded as running, and answer 409 "run N is in progress" (seen in CI: a run
     * asked for a second after a restart that followed a SIGKILL).
     */
    void failStaleRunsAtStartup(@Observes StartupEvent event) {
        Uni<Void> check = lock.tryAcquire()
                .chain(held -> held.isEmpty() ? Uni.createFrom().item(0)
                        : runs.failStale().onTermination().call(() -> held.get().release()))
                .onItem().invoke(n -> {
                    if (n > 0) {
                        Log.warnf("marked %d stale ingest run(s) failed", n);
                    }
                })
                .onFailure().invoke(e -> Log.warnf("could not check for stale ingest runs: %s", e.getMessage()))
                .replaceWithVoid().onFailure().recoverWithNull()
                .memoize().indefinitely();
        startupCheck = check;
        check.subscribe().with(ignored -> { });
    }

    /**
     * Starts a run in the background and returns its id, or fails with a 409 problem naming the run in progress.
     *
     * @param sourceName may be null when exactly one source is configured
     */
    public Uni<Long> start(String sourceName, String trigger, boolean dryRun) {
        String name;
        try {
            name = resolve(sourceName);
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        return begin(name, trigger, dryRun, null, "source " + name,
                (id, progress) -> pipeline.run(id, name, sources.sources().get(name), dryRun, progress));
    }

    /**
     * Starts a build of an embedding space in the background ({@link SpaceBuild}) under the same lock as a crawl, and
     * returns its run id, or fails with a 409 problem naming the run in progress.
     */
    public Uni<Long> startBuild(StoredSpace space, boolean dryRun) {
        return begin("*", "admin", dryRun, space.id(), "build of " + space,
                (id, progress) -> build.run(id, space, dryRun, progress));
    }

    private Uni<Long> begin(String source, String trigger, boolean dryRun, Integer spaceId, String what, Job job) {
        return startupCheck.chain(() -> acquire(LOCK_ATTEMPTS)).chain(held -> held.isPresent()
                ? begin(held.get(), source, trigger, dryRun, spaceId, what, job).onFailure().call(() -> held.get().release())
                : busy());
    }

    /**
     * Runs {@code action} holding the ingest lock, so no run writes meanwhile; fails with the 409 problem of
     * {@link #start} when a run holds it.
     */
    public <T> Uni<T> whileNoRun(java.util.function.Supplier<Uni<T>> action) {
        return startupCheck.chain(() -> acquire(LOCK_ATTEMPTS)).chain(held -> held.isPresent()
                ? action.get().onTermination().call(() -> held.get().release())
                : busy());
    }

    /** The 409 problem naming the run that holds the lock. */
    private <T> Uni<T> busy() {
        return runs.running().map(running -> {
            throw new ProblemException(Problem.of("ingest-running", "An ingest is already running", 409,
                    running.map(id -> "run " + id + " is in progress").orElse("another instance is ingesting"),
                    running.<Map<String, Object>>map(id -> Map.of("runId", id)).orElse(Map.of())));
        });
    }

    /**
     * A run records its final status just before it lets go of the lock; a caller that saw that status and
     * starts the next run at once would meet the lock still held. So when no run is recorded as running,
     * the lock is tried again for a moment before the answer is 409.
     */
    private Uni<Optional<IngestLock.Held>> acquire(int attempts) {
        return lock.tryAcquire().chain(held -> held.isPresent() || attempts <= 1
                ? Uni.createFrom().item(held)
                : runs.running().chain(running -> running.isPresent()
                        ? Uni.createFrom().item(held)
                        : Uni.createFrom().voidItem().onItem().delayIt().by(LOCK_RETRY_DELAY)
                                .chain(() -> acquire(attempts - 1))));
    }

    /** What a run does once it holds the lock and has its row: its final status. */
    @FunctionalInterface
    private interface Job {
        Uni<RunStatus> run(long id, RunProgress progress);
    }

    private Uni<Long> begin(IngestLock.Held held, String source, String trigger, boolean dryRun, Integer spaceId,
            String what, Job job) {
        return runs.failStale().chain(() -> runs.start(source, trigger, dryRun, spaceId)).invoke(id -> {
            RunProgress progress = new RunProgress();
            active.put(id, progress);
            AtomicReference<IngestLock.Held> lockHeld = new AtomicReference<>(held);
            held.onLost(() -> relock(id, progress, lockHeld));
            Log.infof("ingest run %d started: %s, trigger %s%s", id, what, trigger, dryRun ? ", dry run" : "");
            job.run(id, progress)
                    .onTermination().call(() -> lockHeld.get().release())
                    .onTermination().invoke(() -> active.remove(id))
                    .subscribe().with(
                            status -> Log.infof("ingest run %d %s", id, status),
                            e -> Log.errorf(e, "ingest run %d failed", id));
        });
    }

    /**
     * The lock's session ended while the run goes on (a database restart ends every session): take the lock
     * again as soon as the database is back, or stop the run if another instance took it meanwhile, so two
     * ingests never run at once.
     */
    private void relock(long id, RunProgress progress, AtomicReference<IngestLock.Held> current) {
        if (!active.containsKey(id)) {
            return;
        }
        Log.warnf("ingest run %d: the database session holding the ingest lock ended; taking the lock again", id);
        lock.tryAcquire()
                .onFailure().retry().withBackOff(RELOCK_BACKOFF, RELOCK_BACKOFF.multipliedBy(10)).atMost(RELOCK_RETRIES)
                .subscribe().with(again -> {
                    if (again.isEmpty()) {
                        progress.cancel("stopped: the ingest lock was lost in a database outage and another instance took it");
                        return;
                    }
                    IngestLock.Held held = again.get();
                    current.set(held);
                    held.onLost(() -> relock(id, progress, current));
                    if (active.containsKey(id)) {
                        Log.infof("ingest run %d holds the ingest lock again", id);
                    } else {
                        held.release().subscribe().with(ignored -> { }, ignored -> { }); // the run ended meanwhile
                    }
                }, e -> progress.cancel("stopped: the ingest lock was lost in a database outage and could not be taken"
                        + " again (" + e.getMessage() + ")"));
    }

    public Uni<IngestRun> find(long id) {
        return runs.find(id).map(found -> found.map(this::withLiveCounts).orElseThrow(() -> notFound(id)));
    }

    public Uni<List<IngestRun>> recent(int limit) {
        return runs.recent(limit).map(list -> list.stream().map(this::withLiveCounts).toList());
    }

    /** Cancels a run this instance is executing; its pages done so far stay written, nothing is deleted. */
    public Uni<IngestRun> cancel(long id) {
        RunProgress progress = active.get(id);
        if (progress != null) {
            progress.cancel();
            Log.infof("ingest run %d: cancel requested", id);
            return find(id);
        }
        return find(id).map(run -> {
            throw new ProblemException(Problem.of("run-not-running", "The run is not running", 409,
                    "run " + id + " is " + run.status(), Map.of("runId", id, "status", run.status().wire())));
        });
    }

    private IngestRun withLiveCounts(IngestRun run) {
        RunProgress live = active.get(run.id());
        return live == null ? run : new IngestRun(run.id(), run.source(), run.trigger(), run.dryRun(), run.status(), run.reason(),
                run.started(), run.finished(), live.snapshot(), live.cost(), live.errors(), run.spaceId());
    }

    private String resolve(String sourceName) {
        var configured = sources.sources().keySet();
        if (sourceName == null || sourceName.isBlank()) {
            if (configured.size() == 1) {
                return configured.iterator().next();
            }
            throw new ProblemException(Problem.of("invalid-request", "Invalid request", 400,
                    configured.isEmpty() ? "no source is configured (coursebot.sources.<name>.base-url)"
                            : "source: name one of " + configured.stream().sorted().toList(),
                    Map.of("fields", Map.of("source", "required when several sources exist"))));
        }
        if (!configured.contains(sourceName)) {
            throw new ProblemException(Problem.of("unknown-source", "Unknown source", 404,
                    "no source named '" + sourceName + "'; configured: " + configured.stream().sorted().toList(), Map.of()));
        }
        return sourceName;
    }

    private static ProblemException notFound(long id) {
        return new ProblemException(Problem.of("run-not-found", "No such run", 404, "no ingest run " + id, Map.of()));
    }
}
