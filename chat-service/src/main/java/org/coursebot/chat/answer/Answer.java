package org.coursebot.chat.answer;

import java.util.List;

import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.model.Citation;

/**
 * An answer with the sources it used, numbered as the text cites them ([1], [2]...), and the embedding space its
 * search ran in.
 */
public record Answer(String answer, List<Citation> citations, boolean covered, String mode, boolean degraded,
                     SearchedSpace embeddingSpace) {

    /** An answer whose space is not set yet: {@link ChatService} sets it from the search's result. */
    public Answer(String answer, List<Citation> citations, boolean covered, String mode, boolean degraded) {
        this(answer, citations, covered, mode, degraded, null);
    }

    /** This answer, found in {@code space}. */
    public Answer in(SearchedSpace space) {
        return new Answer(answer, citations, covered, mode, degraded, space);
    }
}
