package org.coursebot.chat.migrate;

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
}
