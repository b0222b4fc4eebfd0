package org.coursebot.chat.answer;

import java.util.List;

import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.model.Citation;

/**
 * An answer with the sources it used, numbered as the text cites them ([1], [2]...), the embedding space its search
 * ran in, its id, which feedback on it names ({@code POST /api/feedback}), what was searched for it
 * ({@code searchedFor}: the question without personal details, after the earlier questions it leans on when it is a
 * {@code followUp} of the conversation; issue 29), so that a student sees why these sections came back.
 */
public record Answer(String answer, List<Citation> citations, boolean covered, AnswerMode mode, boolean degraded,
                     SearchedSpace embeddingSpace, String answerId, String searchedFor, boolean followUp) {

    /** An answer whose space, id and search are not set yet: {@link ChatService} sets them. */
    public Answer(String answer, List<Citation> citations, boolean covered, AnswerMode mode, boolean degraded) {
        this(answer, citations, covered, mode, degraded, null, null, null, false);
    }

    /** This answer, found in {@code space} by searching {@code searched}, under {@code id}. */
    public Answer as(String id, SearchedSpace space, SearchedQuestion searched) {
        return new Answer(answer, citations, covered, mode, degraded, space, id, searched.text(), searched.followUp());
    }
}
