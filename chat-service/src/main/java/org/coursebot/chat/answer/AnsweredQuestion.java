package org.coursebot.chat.answer;

import java.time.Instant;

import org.coursebot.chat.search.SearchResult;

/**
 * A question as it was answered, announced by {@link ChatService} as a CDI event once its answer is complete: the
 * question log records it (org.coursebot.chat.insights.QuestionLog), and the answer feature need not know who
 * listens.
 */
public record AnsweredQuestion(Instant askedAt, String question, String source, Asker asker, SearchResult search,
                               Answer answer, int latencyMillis) {
}
