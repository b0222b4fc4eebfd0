package org.coursebot.chat.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class QuestionGroupsTests {

    @Test
    void theQuestionSimilarToTheMostLeadsAndAChainDoesNotMergeTwoTopics() {
        // a-b-c-d are one topic (all similar to b); d is also similar to e, and e to f: a chain through d and e.
        List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g");
        List<String[]> pairs = List.of(pair("a", "b"), pair("b", "c"), pair("b", "d"), pair("a", "c"), pair("d", "e"),
                pair("e", "f"));
        assertThat(QuestionGroups.of(ids, pairs)).containsExactly(
                List.of("b", "a", "c", "d"), List.of("e", "f"), List.of("g"));
    }

    @Test
    void tiesGoToTheNewestAndPairsOfUnknownQuestionsAreIgnored() {
        assertThat(QuestionGroups.of(List.of("new", "old"), List.of(pair("new", "old"), pair("old", "gone"))))
                .containsExactly(List.of("new", "old"));
        assertThat(QuestionGroups.of(List.of(), List.of())).isEmpty();
    }

    private static String[] pair(String a, String b) {
        return new String[] {a, b};
    }
}
