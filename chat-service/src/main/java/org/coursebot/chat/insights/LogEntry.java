package org.coursebot.chat.insights;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.AnswerMode;
import org.coursebot.chat.answer.AnsweredQuestion;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.search.Coverage;
import org.coursebot.model.Citation;

/** What waits in the question log's queue to be written: an answered question or feedback, with its heap size. */
sealed interface LogEntry {

    /** Roughly what it holds on the heap, what {@code coursebot.insights.queue-memory} bounds. */
    long bytes();

    /**
     * What is logged of an answered question: not the answer's text nor the sections it searched, and the vector
     * quantized (why: docs/design.md, "Constraints measured, and what they forced"). Scrubbing and hashing are left to
     * the writer ({@link LogBatch}). {@code searchedFor}: what a follow-up was searched as (null for a question
     * searched alone). {@code exerciseRequest}: the question asked for an exercise's solution; {@code exercise}: that
     * exercise's heading (course text), null when it named none in particular.
     */
    record Asked(UUID answerId, Instant askedAt, String question, boolean covered, AnswerMode mode, boolean degraded,
                 Coverage coverage, List<Map<String, String>> cited, int latencyMillis, Asker asker, String source,
                 Integer spaceId, byte[] vector, String searchedFor, boolean exerciseRequest, String exercise,
                 long bytes) implements LogEntry {

        static Asked of(AnsweredQuestion q, long bytes) {
            Answer answer = q.answer();
            return new Asked(UUID.fromString(answer.answerId()), q.askedAt(), q.question(), answer.covered(),
                    answer.mode(), answer.degraded(), q.search().coverage(),
                    answer.citations().stream().map((Citation c) -> Map.of("url", c.url(), "title", c.title())).toList(),
                    q.latencyMillis(), q.asker(), q.source(),
                    answer.embeddingSpace() == null ? null : answer.embeddingSpace().id(),
                    q.search().questionVector() == null ? null : QuantizedVector.of(q.search().questionVector()),
                    q.search().searched().followUp() ? q.search().searched().text() : null,
                    answer.exercise() != null, answer.exercise() == null ? null : answer.exercise().title(), bytes);
        }

        /** Estimated before the entry is built, so that a full queue costs no copy: the vector and text dominate. */
        static long bytes(AnsweredQuestion q) {
            float[] vector = q.search().questionVector();
            return 512 + 2L * q.question().length() + (vector == null ? 0 : vector.length)
                    + (q.search().searched().followUp() ? 2L * q.search().searched().text().length() : 0)
                    + 160L * q.answer().citations().size();
        }
    }

    /** Feedback on an answer. */
    record Feedback(UUID id, UUID answerId, Instant givenAt, boolean helpful, String comment) implements LogEntry {

        @Override
        public long bytes() {
            return 160 + 2L * (comment == null ? 0 : comment.length());
        }
    }
}
