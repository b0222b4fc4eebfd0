package org.coursebot.chat.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether the database that shares the limits answers. A check that fails or is late marks it unavailable: the rate
 * limits and the budget then count in the process (their fallback), and a probe, not a student's request, asks the
 * database again every {@code fallback-retry} until it answers. So no request ever waits for a reconnect: the first
 * version let a request be the trial, and under load its connection set-up alone outlasted {@code shared-timeout},
 * which kept the process counting alone (TwoInstancesTests, CI).
 */
@ApplicationScoped
public class SharedStore {

    /** How long a probe, which nobody waits for, may take: a fresh connection included. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** quarkus.datasource.limits.reactive.max-size (application.properties): pings at once at start-up. */
    static final int CONNECTIONS = 4;

    private final LimitsRepository repository;
    private final RateLimitConfig config;
    private final Vertx vertx;
    private final AtomicBoolean available = new AtomicBoolean(true);

    public SharedStore(LimitsRepository repository, RateLimitConfig config, Vertx vertx, MeterRegistry registry) {
        this.repository = repository;
        this.config = config;
        this.vertx = vertx;
        Gauge.builder("coursebot.limits.shared.available", this, s -> s.available() ? 1 : 0)
                .description("1 while the database that shares the limits and budget answers, 0 while each process"
                        + " counts alone (or has no such database)").register(registry);
    }

    /**
     * Opens the pool's connections before the first request needs them (one ping per connection, at once), so that
     * no check pays for a connection's set-up.
     */
    void start(@Observes StartupEvent event) {
        if (!repository.connected()) {
            return;
        }
        List<Uni<Void>> pings = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            pings.add(repository.ping());
        }
        Uni.join().all(pings).andFailFast().ifNoItem().after(PROBE_TIMEOUT).fail()
                .subscribe().with(ok -> Log.debugf("limits: %d connections open", pings.size()),
                        e -> failed("at start-up", e));
    }

    /** Whether there is a database to share the limits through at all. */
    public boolean connected() {
        return repository.connected();
    }

    /** Whether checks go to the database now (else each process counts alone until a probe finds it back). */
    public boolean available() {
        return repository.connected() && available.get();
    }

    /** A check that failed or was late: count alone from now on, and probe until the database answers again. */
    void failed(String what, Throwable e) {
        if (available.compareAndSet(true, false)) {
            Log.warnf("limits: the shared database did not answer %s (%s); rate limits and budget count in this process"
                    + " until it does (asked again every %d s)", what,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), config.fallbackRetry().toSeconds());
            probeLater();
        }
    }

    private void probeLater() {
        vertx.setTimer(Math.max(1, config.fallbackRetry().toMillis()), id -> repository.ping()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .subscribe().with(ok -> {
                    available.set(true);
                    Log.info("limits: the shared database answers again; rate limits and budget are shared again");
                }, e -> probeLater()));
    }
}
