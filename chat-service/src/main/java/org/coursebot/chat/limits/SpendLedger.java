package org.coursebot.chat.limits;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What each course's written answers cost per UTC day, shared by every instance (the {@code answer_spend} rows):
 * an answer reserves the most it can cost before it is asked for, and gives back what it did not use after. Two
 * instances reserving at once cannot both take the last of a budget. When the database does not answer within
 * {@code coursebot.rate-limit.shared-timeout}, the process keeps a ledger of its own until the database is back
 * ({@link SharedStore}), starting from the day's spend it last saw: the budget still holds in each process, never
 * "no budget".
 */
@ApplicationScoped
public class SpendLedger {

    /** A reservation: granted or not, and what to settle later (day, course and amount reserved). */
    public record Grant(boolean granted, LocalDate day, String course, BigDecimal reserved, boolean shared) {
    }

    private record DayCourse(LocalDate day, String course) {
    }

    private final LimitsRepository repository;
    private final RateLimitConfig config;
    private final boolean shared;
    private final SharedStore store;
    /** The day's spend of each course as this process last knew it: from the database, plus its own when alone. */
    private final Map<DayCourse, BigDecimal> known = new ConcurrentHashMap<>();
    private final Counter fellBack;

    public SpendLedger(LimitsRepository repository, SharedStore store, RateLimitConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.store = store;
        this.config = config;
        this.shared = repository.connected();
        this.fellBack = Counter.builder("coursebot.answer.budget.fallback")
                .description("budget reservations this process decided alone because the database did not answer")
                .register(registry);
    }

    /** Whether the spend is shared through the database (else each process keeps its own). */
    public boolean shared() {
        return shared;
    }

    /** Reserves {@code costUsd} of {@code course}'s budget for today when it fits under {@code budgetUsd}. */
    public Uni<Grant> reserve(String course, BigDecimal costUsd, BigDecimal budgetUsd) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (!shared) {
            return Uni.createFrom().item(alone(today, course, costUsd, budgetUsd));
        }
        if (!store.available()) {
            fellBack.increment();
            return Uni.createFrom().item(alone(today, course, costUsd, budgetUsd));
        }
        Duration timeout = config.sharedTimeout();
        return repository.reserve(course, costUsd, budgetUsd)
                .ifNoItem().after(timeout).fail()
                .map(r -> {
                    known.keySet().removeIf(k -> k.day().isBefore(today));
                    known.put(new DayCourse(today, course), r.spent());
                    return new Grant(r.reserved(), today, course, costUsd, true);
                })
                .onFailure().recoverWithItem(e -> {
                    store.failed("a budget reservation", e);
                    fellBack.increment();
                    return alone(today, course, costUsd, budgetUsd);
                });
    }

    /** Gives back what a granted reservation did not use ({@code usedUsd} is what the answer cost). */
    public void settle(Grant grant, BigDecimal usedUsd) {
        if (!grant.granted()) {
            return;
        }
        BigDecimal unused = grant.reserved().subtract(usedUsd).max(BigDecimal.ZERO);
        if (unused.signum() == 0) {
            return;
        }
        if (!grant.shared()) {
            known.computeIfPresent(new DayCourse(grant.day(), grant.course()), (k, spent) -> spent.subtract(unused).max(BigDecimal.ZERO));
            return;
        }
        // A settle that fails leaves the day's spend counted high: the budget errs on the side of the bill.
        repository.settle(grant.day(), grant.course(), unused).subscribe().with(ok -> { },
                e -> Log.debugf("answer budget: %s not given back (%s)", unused, e.getMessage()));
    }

    private Grant alone(LocalDate day, String course, BigDecimal costUsd, BigDecimal budgetUsd) {
        DayCourse key = new DayCourse(day, course);
        boolean[] granted = new boolean[1];
        known.compute(key, (k, spent) -> {
            BigDecimal before = spent == null ? BigDecimal.ZERO : spent;
            granted[0] = before.add(costUsd).compareTo(budgetUsd) <= 0;
            return granted[0] ? before.add(costUsd) : before;
        });
        return new Grant(granted[0], day, course, costUsd, false);
    }
}
