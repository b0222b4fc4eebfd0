package org.coursebot.chat.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RankMetricsTests {

    private static RankedHit hit(String url) {
        return new RankedHit("t", url, 0.5);
    }

    @Test
    void jaccardComparesPagesNotFragments() {
        var old = List.of(hit("https://c.org/a/#x"), hit("https://c.org/b/#made-up"));
        var now = List.of(hit("https://c.org/b/#real"), hit("https://c.org/c/"));
        assertThat(RankMetrics.jaccard(old, now)).isEqualTo(1.0 / 3);
        assertThat(RankMetrics.jaccard(List.of(), List.of())).isEqualTo(1.0);
    }

    @Test
    void rankMatchesThePageTheExactUrlOrAPathGivenExpectation() {
        var hits = List.of(hit("https://c.org/a/#x"), hit("https://c.org/b/#y"));
        assertThat(RankMetrics.rank(hits, "https://c.org/b/")).isEqualTo(2);
        assertThat(RankMetrics.rank(hits, "https://c.org/b/#other-section")).isEqualTo(2);
        assertThat(RankMetrics.rank(hits, "/a/")).isEqualTo(1);
        assertThat(RankMetrics.rank(hits, "https://c.org/z/")).isZero();
    }

    @Test
    void qualityScoresOnlyTheQuestionsWithAnExpectedUrl() {
        var first = List.of(hit("https://c.org/a/"), hit("https://c.org/b/"));
        var second = List.of(hit("https://c.org/z/"), hit("https://c.org/b/#y"));
        var unscored = List.of(hit("https://c.org/q/"));

        RankMetrics.Quality q = RankMetrics.quality(List.of(first, second, unscored),
                java.util.Arrays.asList("https://c.org/a/", "https://c.org/b/", null));

        assertThat(q.hit1()).isEqualTo(0.5);
        assertThat(q.hit5()).isEqualTo(1.0);
        assertThat(q.mrr()).isEqualTo((1 + 0.5) / 2);
    }
}
