package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which questions are searched with the conversation before them (issue 29). */
class QuestionInContextTests {

    @Test
    void aFollowUpIsSearchedWithTheQuestionItLeansOn() {
        assertThat(QuestionInContext.leanedOn("and how do I send it back to the client?",
                List.of("How do I read JSON in an Express route?")))
                .containsExactly("How do I read JSON in an Express route?");
        assertThat(QuestionInContext.leanedOn("Why?", List.of("Should I commit node_modules?")))
                .containsExactly("Should I commit node_modules?");
        assertThat(QuestionInContext.leanedOn("what about PUT?", List.of("Which status code does a POST return?")))
                .containsExactly("Which status code does a POST return?");
    }

    @Test
    void aQuestionThatStandsAloneIsSearchedAlone() {
        String alone = "How do I keep my database password out of the repository?";
        assertThat(QuestionInContext.leanedOn(alone, List.of("How do I read JSON in an Express route?"))).isEmpty();
        assertThat(QuestionInContext.leanedOn("and how do I send it back?", List.of())).as("no conversation yet")
                .isEmpty();
    }

    @Test
    void theLongestHistoryAllowedJoinsAtMostTwoEarlierQuestions() {
        // 20 turns (ChatRequest's limit) of 4,000 characters, each a run of capitalised words (the worst case of
        // SearchedQuestion's introduction pattern), the last one a follow-up too.
        String hostile = ("(Jonas Weber Ab " .repeat(300)).substring(0, 3999) + "?";
        List<String> earlier = new java.util.ArrayList<>(java.util.Collections.nCopies(19, hostile));
        earlier.add("and that?");
        List<String> leanedOn = QuestionInContext.leanedOn("why?", earlier);
        assertThat(leanedOn).containsExactly(hostile, "and that?");
        SearchedQuestion searched = SearchedQuestion.of("why?", leanedOn);
        assertThat(searched.text().length()).isLessThanOrEqualTo(hostile.length() + "\nand that?\nwhy?".length());
        assertThat(searched.asked()).isEqualTo("why?");
        assertThat(searched.followUp()).isTrue();
    }

    @Test
    void aChainOfFollowUpsKeepsTheQuestionThatSetTheTopic() {
        List<String> earlier = List.of("How do I undo my last commit?", "How do I write a good commit message?",
                "and what if I already pushed it?");
        assertThat(QuestionInContext.leanedOn("does that change the hash?", earlier))
                .containsExactly("How do I write a good commit message?", "and what if I already pushed it?");
        assertThat(QuestionInContext.leanedOn("why?", List.of("a?", "b?", "c?", "d?"))).as("at most three questions")
                .containsExactly("c?", "d?");
    }
}
