package org.coursebot.chat.v1;

import java.util.List;

import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.AnswerMode;
import org.coursebot.chat.answer.ExerciseNote;
import org.coursebot.chat.search.SearchedSpace;

/**
 * What /api/chat returns besides the text: the numbered sources, whether the course covers the question, how the
 * answer was made (extractive or llm), whether search ran without vectors, the embedding space searched, the
 * answer's id (for POST /api/feedback), what was searched (with the earlier questions, for a follow-up), and for a
 * request for an exercise's solution, which exercise and what was done about it (null otherwise).
 */
public record CoursebotDetails(List<Source> citations, boolean covered, AnswerMode mode, boolean degraded,
                               SearchedSpace embeddingSpace, String answerId, String searchedFor, boolean followUp,
                               ExerciseNote exercise) {

    static CoursebotDetails of(Answer answer) {
        return new CoursebotDetails(answer.citations().stream()
                .map(c -> new Source(c.index(), c.title(), c.url(), c.similarity())).toList(),
                answer.covered(), answer.mode(), answer.degraded(), answer.embeddingSpace(), answer.answerId(),
                answer.searchedFor(), answer.followUp(), answer.exercise());
    }

    /** The cited URLs, in citation order: the top-level {@code citations} field. */
    List<String> urls() {
        return citations.stream().map(Source::url).toList();
    }

    /** A source as the answer's text cites it ([index]); similarity is null when search ran without vectors. */
    public record Source(int index, String title, String url, Double similarity) {
    }
}
