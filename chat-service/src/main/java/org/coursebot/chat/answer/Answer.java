package org.coursebot.chat.answer;

import java.util.List;

import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.model.Citation;

/**
 * An answer with the sources it used, numbered as the text cites them ([1], [2]...), the embedding space its search
 * ran in, its id, which feedback on it names ({@code POST /api/feedback}), what was searched for it
 * ({@code searchedFor}: the question without personal details, after the earlier questions it leans on when it is a
 * {@code followUp} of the conversation; issue 29), so that a student sees why these sections came back; and, for a
 * request for an exercise's solution, which exercise and what was done about it ({@code exercise}, null otherwise;
 * issue 35).
 */
public record Answer(String answer, List<Citation> citations, boolean covered, AnswerMode mode, boolean degraded,
                     SearchedSpace embeddingSpace, String answerId, String searchedFor, boolean followUp,
                     ExerciseNote exercise) {

    /** An answer whose space, id and search are not set yet: {@link ChatService} sets them. */
    public Answer(String answer, List<Citation> citations, boolean covered, AnswerMode mode, boolean degraded) {
        this(answer, citations, covered, mode, degraded, null, null, null, false, null);
    }

    /** This answer, found in {@code space} by searching {@code searched}, under {@code id}, about {@code exercise}. */
    public Answer as(String id, SearchedSpace space, SearchedQuestion searched, ExerciseNote exercise) {
        return new Answer(answer, citations, covered, mode, degraded, space, id, searched.text(), searched.followUp(),
                exercise);
    }

    /** This answer, about {@code note}'s exercise. */
    Answer about(ExerciseNote note) {
        return new Answer(answer, citations, covered, mode, degraded, embeddingSpace, answerId, searchedFor, followUp,
                note);
    }
}
