package org.coursebot.chat.answer;

import java.util.List;

import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.model.Citation;

/**
 * An answer with the sources it used, numbered as the text cites them ([1], [2]...), the embedding space its search
 * ran in, and its id, which feedback on it names ({@code POST /api/feedback}).
 */
public record Answer(String answer, List<Citation> citations, boolean covered, String mode, boolean degraded,
                     SearchedSpace embeddingSpace, String answerId) {

    /** An answer whose space and id are not set yet: {@link ChatService} sets them. */
    public Answer(String answer, List<Citation> citations, boolean covered, String mode, boolean degraded) {
        this(answer, citations, covered, mode, degraded, null, null);
    }

    /** This answer, found in {@code space}, under {@code id}. */
    public Answer as(String id, SearchedSpace space) {
        return new Answer(answer, citations, covered, mode, degraded, space, id);
    }
}
