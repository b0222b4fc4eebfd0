package org.coursebot.chat.answer;

import java.util.List;

/**
 * A student's question as {@link ChatService} takes it, whichever door it came through (/api/chat, /v1): what they
 * asked, the conversation before it, and how it is to be answered. Built with {@link #of} and the withers, so that a
 * caller names what it sets and leaves the rest to the defaults.
 *
 * @param text        the question as asked
 * @param history     the conversation's earlier turns, oldest first (empty: none)
 * @param k           sections to answer from
 * @param threshold   the similarity a section needs; null: the default of the searched space's model
 * @param source      the course to answer from (org.coursebot.chat.search.CourseSources); null: every course
 * @param temperature a /v1 client's sampling temperature for a written answer; null: the configured one
 * @param asker       who asked, as far as the question log may know
 */
public record Question(String text, List<ChatService.Turn> history, int k, Double threshold, String source,
                       Double temperature, Asker asker) {

    /** Sections answered from unless the caller says otherwise (/api/chat's default k). */
    public static final int DEFAULT_K = 5;

    public Question {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** {@code text} after {@code history}, asked by {@code asker}; k 5, the default threshold, every course. */
    public static Question of(String text, List<ChatService.Turn> history, Asker asker) {
        return new Question(text, history, DEFAULT_K, null, null, null, asker);
    }

    public Question withK(int k) {
        return new Question(text, history, k, threshold, source, temperature, asker);
    }

    public Question withThreshold(Double threshold) {
        return new Question(text, history, k, threshold, source, temperature, asker);
    }

    public Question withSource(String source) {
        return new Question(text, history, k, threshold, source, temperature, asker);
    }

    public Question withTemperature(Double temperature) {
        return new Question(text, history, k, threshold, source, temperature, asker);
    }
}
