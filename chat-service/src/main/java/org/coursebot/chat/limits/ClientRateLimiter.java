package org.coursebot.chat.limits;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.chat.privacy.ClientKeys;

/**
 * A token bucket per client ({@link RateLimitConfig}): /api's clients are addresses, /v1's are API keys by name when
 * keys are configured, addresses otherwise. The buckets are rows in PostgreSQL that every instance takes from
 * ({@code shared}, the default when the limits have a database), named by the client's daily keyed hash
 * ({@link ClientKeys}), never its address: one call, one round trip. When the database does not answer within
 * {@code shared-timeout}, the request is counted in the process's own bucket, and so are all requests until a probe
 * finds the database back ({@link SharedStore}): never "no limit", never "refuse everyone" (issue 32).
 */
@ApplicationScoped
public class ClientRateLimiter {

    private final RateLimitConfig config;
    private final LocalBuckets local;
    private final LimitsRepository repository;
    private final ClientKeys keys;
    private final Vertx vertx;
    private final boolean shared;
    private final SharedStore store;
    private final Counter fellBack;
    private final MeterRegistry registry;
    private volatile long timer = -1;

    public ClientRateLimiter(RateLimitConfig config, LimitsRepository repository, SharedStore store, ClientKeys keys,
            Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.local = new LocalBuckets(config);
        this.repository = repository;
        this.keys = keys;
        this.vertx = vertx;
        this.registry = registry;
        this.store = store;
        this.shared = config.enabled() && config.shared() && repository.connected();
        this.fellBack = Counter.builder("coursebot.rate.limit.fallback")
                .description("requests counted in the process's own bucket because the shared one did not answer")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        if (!shared) {
            Log.infof("rate limits: per process (%s)", !config.shared() ? "coursebot.rate-limit.shared=false"
                    : "no LIMITS_DATABASE_URL or INSIGHTS_DATABASE_URL");
            return;
        }
        if (!keys.shared()) {
            Log.warn("rate limits: shared through the database, but INSIGHTS_CLIENT_KEY_SECRET is not set: each instance"
                    + " names a client's bucket with a key of its own, so a client gets one limit per instance; set the"
                    + " same secret on every instance (docs/limits.md)");
        }
        long every = Math.max(1_000, config.idleExpiry().toMillis());
        timer = vertx.setPeriodic(every, id -> repository.forgetIdle(config.idleExpiry()).subscribe().with(
                n -> Log.debugf("rate limits: forgot %d idle buckets", n),
                e -> Log.debugf("rate limits: idle buckets not forgotten: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Takes one request from {@code client}'s bucket: empty if allowed, else the seconds until one is (at least 1). */
    public Uni<OptionalLong> take(String client) {
        return take(client, config.requestsPerMinute(), config.burst());
    }

    /**
     * The same with a client's own limits (an API key of /v1: org.coursebot.chat.v1.ApiConfig.Rate). A client's
     * bucket keeps the limits it was made with until it is forgotten ({@code idle-expiry}).
     */
    public Uni<OptionalLong> take(String client, int requestsPerMinute, int burst) {
        if (!config.enabled()) {
            return Uni.createFrom().item(OptionalLong.empty());
        }
        if (!shared) {
            return Uni.createFrom().item(counted("local", local.take(client, requestsPerMinute, burst)));
        }
        if (!store.available()) {
            return Uni.createFrom().item(fallBack(client, requestsPerMinute, burst));
        }
        String bucket = keys.of(client, LocalDate.now(ZoneOffset.UTC));
        return repository.take(bucket, burst, requestsPerMinute)
                .ifNoItem().after(config.sharedTimeout()).fail()
                .map(take -> counted("shared", take.allowed() ? OptionalLong.empty()
                            : OptionalLong.of(Math.max(1, (long) Math.ceil(take.waitSeconds())))))
                .onFailure().recoverWithItem(e -> {
                    store.failed("a rate limit check", e);
                    return fallBack(client, requestsPerMinute, burst);
                });
    }

    /** Whether requests are limited at all. */
    public boolean enabled() {
        return config.enabled();
    }

    /** Whether the buckets are shared through the database (else each process counts alone). */
    public boolean shared() {
        return shared;
    }

    /** Sustained requests a minute per client, for the refusal's message. */
    public int requestsPerMinute() {
        return config.requestsPerMinute();
    }

    private OptionalLong fallBack(String client, int requestsPerMinute, int burst) {
        fellBack.increment();
        return counted("fallback", local.take(client, requestsPerMinute, burst));
    }

    private OptionalLong counted(String store, OptionalLong refused) {
        registry.counter("coursebot.rate.limit.requests", "store", store, "outcome",
                refused.isPresent() ? "refused" : "allowed").increment();
        return refused;
    }
}
