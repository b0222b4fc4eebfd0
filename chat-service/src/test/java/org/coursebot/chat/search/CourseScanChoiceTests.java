package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a search in one course compares the question with each of its chunks instead of walking the HNSW graph. */
class CourseScanChoiceTests {

    private static final int MAX = 5000;

    @Test
    void aSmallCourseAmongOthersIsScanned() {
        assertThat(SearchService.scansCourse(2000, 200_000, MAX)).isTrue();
        assertThat(SearchService.scansCourse(5000, 10_000, MAX)).as("at the limit, half of all").isTrue();
    }

    @Test
    void aCourseAboveTheLimitWalksTheGraph() {
        assertThat(SearchService.scansCourse(5001, 200_000, MAX)).isFalse();
        assertThat(SearchService.scansCourse(2000, 200_000, 0)).as("0: always the graph").isFalse();
    }

    @Test
    void aCourseHoldingMostChunksWalksTheGraph() {
        // The only course of a deployment, or the big one of two: the graph's filter passes few other chunks.
        assertThat(SearchService.scansCourse(2500, 2500, MAX)).isFalse();
        assertThat(SearchService.scansCourse(3000, 4000, MAX)).isFalse();
    }

    @Test
    void aCourseNotKnownYetWalksTheGraph() {
        assertThat(SearchService.scansCourse(-1, 200_000, MAX)).isFalse();
    }
}
