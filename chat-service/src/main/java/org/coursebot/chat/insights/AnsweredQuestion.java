package org.coursebot.chat.insights;

import java.time.Instant;

import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.search.SearchResult;

/** A question as it was answered: what the question log is made from ({@link QuestionLog#record}). */
public record AnsweredQuestion(Instant askedAt, String question, String source, Asker asker, SearchResult search,
                               Answer answer, int latencyMillis) {
}
