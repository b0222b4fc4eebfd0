package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.coursebot.chat.search.SearchRepository.Candidate;
import org.coursebot.model.SearchHit;
import org.junit.jupiter.api.Test;

class RankFusionTests {

    private final RankFusion fusion = new RankFusion(60, 0.1);

    @Test
    void dropsVectorHitsBelowTheThreshold() {
        List<SearchHit> hits = fusion.fuse(List.of(c("a", "/p1", "A", 0, 0.8), c("b", "/p2", "B", 0, 0.2)), List.of(), 0.5, 5);
        assertThat(hits).extracting(SearchHit::title).containsExactly("a");
    }

    @Test
    void aChunkInBothRankingsOutranksOneInOnlyOne() {
        Candidate both = c("both", "/p1", "X", 0, 0.6);
        Candidate vectorOnly = c("vector", "/p2", "Y", 0, 0.9);
        List<SearchHit> hits = fusion.fuse(List.of(vectorOnly, both), List.of(both), 0.5, 5);
        assertThat(hits).extracting(SearchHit::title).containsExactly("both", "vector");
    }

    @Test
    void fullTextRescuesAnExactTermSlightlyBelowTheThreshold() {
        Candidate exact = c("EADDRINUSE", "/p3", "Z", 0, 0.45);
        List<SearchHit> hits = fusion.fuse(List.of(exact), List.of(exact), 0.5, 5);
        assertThat(hits).extracting(SearchHit::title).containsExactly("EADDRINUSE");
        assertThat(fusion.fuse(List.of(), List.of(c("far", "/p4", "W", 0, 0.2)), 0.5, 5)).isEmpty();
    }

    @Test
    void degradedFullTextHitsHaveNoSimilarityAndStillCount() {
        List<SearchHit> hits = fusion.fuse(List.of(), List.of(c("t", "/p", "T", 0, null)), 0.5, 5);
        assertThat(hits).singleElement().satisfies(h -> assertThat(h.similarity()).isNull());
    }

    @Test
    void mergesChunksOfOneSectionInPageOrderAndKeepsTheBestSimilarity() {
        Candidate second = c("part two", "/p1", "Long section", 1, 0.9);
        Candidate first = c("part one", "/p1", "Long section", 0, 0.7);
        List<SearchHit> hits = fusion.fuse(List.of(second, first, c("other", "/p2", "Other", 0, 0.6)), List.of(), 0.5, 5);
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).content()).isEqualTo("content of part one\n\ncontent of part two");
        assertThat(hits.get(0).similarity()).isEqualTo(0.9);
    }

    @Test
    void returnsAtMostKSections() {
        List<Candidate> many = java.util.stream.IntStream.range(0, 10).mapToObj(i -> c("s" + i, "/p" + i, "H", 0, 0.9 - i * 0.01)).toList();
        assertThat(fusion.fuse(many, List.of(), 0.5, 3)).extracting(SearchHit::title).containsExactly("s0", "s1", "s2");
    }

    private static Candidate c(String title, String page, String heading, int position, Double similarity) {
        return new Candidate(UUID.nameUUIDFromBytes((title + page).getBytes()), title, "https://c.example" + page,
                "content of " + title, "section", "1", "a", "https://c.example" + page, heading, position, similarity);
    }
}
