package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class PoliciesTests {

    @Test
    void backoffDoublesFromOneSecondWithJitterCappedAtSixtySeconds() {
        RetryBackoff backoff = new RetryBackoff(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(1, Optional.empty()).toMillis()).isBetween(800L, 1200L);
            assertThat(backoff.delay(3, Optional.empty()).toMillis()).isBetween(3200L, 4800L);
            assertThat(backoff.delay(10, Optional.empty()).toMillis()).isBetween(48_000L, 60_000L);
        }
    }

    @Test
    void backoffNeverShorterThanRetryAfter() {
        RetryBackoff backoff = new RetryBackoff(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(90)))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterReadsMillisecondsSecondsAndDates() {
        assertThat(RetryAfter.parse("1500", "9")).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse(null, "2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(null, "0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryAfter.parse(null, "Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(null, "soon")).isNull();
        assertThat(RetryAfter.parse(null, null)).isNull();
    }

    @Test
    void rateLimiterMakesTheRequestOverTheMinuteBudgetWait() {
        AtomicLong now = new AtomicLong();
        RequestRateLimiter limiter = new RequestRateLimiter(60, 1_000, now::get);

        assertThat(limiter.reserve(600)).isZero();
        assertThat(limiter.reserve(400)).isZero();
        // 500 tokens over a 1,000 tokens/minute budget: 30 s until the bucket has refilled them.
        assertThat(limiter.reserve(500)).isEqualTo(Duration.ofSeconds(30));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(limiter.reserve(500)).isZero();
    }

    @Test
    void rateLimiterPacesRequestsPerMinute() {
        AtomicLong now = new AtomicLong();
        RequestRateLimiter limiter = new RequestRateLimiter(2, 1_000_000, now::get);
        assertThat(limiter.reserve(1)).isZero();
        assertThat(limiter.reserve(1)).isZero();
        assertThat(limiter.reserve(1)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void circuitOpensAfterConsecutiveFailuresAndLetsOneTrialThroughLater() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.refusal()).isEmpty();
            breaker.onFailure();
        }
        assertThat(breaker.refusal()).contains(Duration.ofSeconds(30));
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(breaker.refusal()).isEmpty();
        assertThat(breaker.refusal()).isPresent();
        breaker.onSuccess();
        assertThat(breaker.refusal()).isEmpty();
    }

    @Test
    void aTrialAbandonedByItsCallerLetsTheNextOneThrough() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(30), now::get);
        breaker.onFailure();
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(breaker.refusal()).as("the trial").isEmpty();
        assertThat(breaker.refusal()).as("while the trial is out").isPresent();
        breaker.onAbandoned();
        assertThat(breaker.refusal()).as("the next trial").isEmpty();
        breaker.onFailure();
        assertThat(breaker.refusal()).as("open again").contains(Duration.ofSeconds(30));
    }
}
