package org.coursebot.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.coursebot.ingest.crawl.PageValidators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The batcher under every relative speed of pages and embedder: nothing lost, nothing twice, memory bounded. */
class PageBatcherTests {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stop() {
        TIMER.shutdownNow();
    }

    @Test
    void aSlowEmbedderNeverFailsTheStreamAndGetsFullGroups() {
        Run run = run(pages(200, Duration.ZERO), 8, Duration.ofMillis(5), Duration.ofMillis(20));
        assertThat(run.pages).containsExactlyElementsOf(urls(200));
        assertThat(run.groupSizes).allMatch(n -> n >= 1 && n <= 8);
        assertThat(run.groupSizes.subList(1, run.groupSizes.size() - 1)).as("the crawl ran ahead: full groups")
                .allMatch(n -> n == 8);
        assertThat(run.maxAhead.get()).as("pages requested but not yet embedded").isLessThanOrEqualTo(2 * 8 + 8);
    }

    @Test
    void mutinysTimedGroupingFailsInTheSameSituation() {
        // Why PageBatcher exists: the timer flushes a group the slow downstream has not asked for.
        assertThatThrownBy(() -> pages(100, Duration.ofMillis(2)).group().intoLists().of(8, Duration.ofMillis(5))
                .onItem().transformToUniAndConcatenate(g -> Uni.createFrom().item(g).onItem().delayIt().by(Duration.ofMillis(20)))
                .collect().asList().await().atMost(Duration.ofSeconds(30)))
                .hasMessageContaining("lack of requests");
    }

    @Test
    void aSlowSiteGetsPartialGroupsAfterTheWaitInsteadOfStalling() {
        Run run = run(pages(30, Duration.ofMillis(15)), 8, Duration.ofMillis(5), Duration.ZERO);
        assertThat(run.pages).containsExactlyElementsOf(urls(30));
        assertThat(run.groupSizes).as("groups did not wait to fill").anyMatch(n -> n < 8);
    }

    @Test
    void withoutAWaitGroupsFillUntilThePagesEnd() {
        Run run = run(pages(21, Duration.ofMillis(1)), 8, Duration.ZERO, Duration.ZERO);
        assertThat(run.pages).containsExactlyElementsOf(urls(21));
        assertThat(run.groupSizes).containsExactly(8, 8, 5);
    }

    @Test
    void noPagesMeansNoGroup() {
        Run run = run(Multi.createFrom().empty(), 8, Duration.ofMillis(5), Duration.ZERO);
        assertThat(run.groupSizes).isEmpty();
    }

    @Test
    void aFailingUpstreamFailsTheGroupsAfterThePagesBeforeIt() {
        Multi<PendingPage> failing = Multi.createBy().concatenating()
                .streams(pages(3, Duration.ZERO), Multi.createFrom().failure(new IllegalStateException("boom")));
        assertThatThrownBy(() -> new PageBatcher(2, 4, Duration.ofMillis(5), TIMER).groups(failing)
                .collect().asList().await().atMost(Duration.ofSeconds(10))).hasMessageContaining("boom");
    }

    private record Run(List<String> pages, List<Integer> groupSizes, AtomicInteger maxAhead) {
    }

    private static Run run(Multi<PendingPage> pages, int groupSize, Duration maxWait, Duration embedTime) {
        AtomicInteger requested = new AtomicInteger();
        AtomicInteger embedded = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        Multi<PendingPage> counted = pages.onRequest().invoke(n -> {
            int ahead = requested.addAndGet((int) Math.min(n, 1000)) - embedded.get();
            maxAhead.accumulateAndGet(ahead, Math::max);
        });
        new PageBatcher(groupSize, 2 * groupSize, maxWait, TIMER).groups(counted)
                .onItem().transformToUniAndConcatenate(group -> {
                    sizes.add(group.size());
                    group.forEach(p -> seen.add(p.url()));
                    embedded.addAndGet(group.size());
                    Uni<List<PendingPage>> done = Uni.createFrom().item(group);
                    return embedTime.isZero() ? done : done.onItem().delayIt().by(embedTime);
                })
                .collect().asList().await().atMost(Duration.ofSeconds(60));
        return new Run(List.copyOf(seen), List.copyOf(sizes), maxAhead);
    }

    private static Multi<PendingPage> pages(int n, Duration each) {
        Multi<Integer> numbers = Multi.createFrom().range(0, n);
        Multi<Integer> paced = each.isZero() ? numbers
                : numbers.onItem().transformToUniAndConcatenate(i -> Uni.createFrom().item(i).onItem().delayIt().by(each));
        return paced.map(i -> new PendingPage("https://course.example.org/p" + i, PageValidators.NONE, List.of(),
                List.of(), java.util.Set.of(), java.util.Map.of(), "h" + i, true));
    }

    private static List<String> urls(int n) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add("https://course.example.org/p" + i);
        }
        return urls;
    }
}
