package org.coursebot.chat.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.coursebot.chat.exercises.ExerciseRequest;
import org.coursebot.model.Citation;
import org.coursebot.model.SearchHit;

/**
 * A tutor's answer to a request for a graded exercise's solution, written without a chat model: it says what it is
 * doing, quotes the exercise's own statement and the course sections that teach what it needs, and never a solution
 * (the course's text holds none: ingest keeps exercises apart). Also what replaces a written answer that held one.
 */
final class ExerciseGuide {

    static final String NAMED = "This looks like %s, a graded exercise, so here is what it asks and where the course"
            + " explains what you need; the solution is yours to write.";
    static final String ANY = "This looks like a request for the exercises' solutions, so here is where the course"
            + " explains what you need; the solutions are yours to write.";
    static final String WITHHELD = "\n\n(A written answer was withheld: it held code that would solve the exercise.)";
    /** The longest statement quoted, in characters: an exercise's first paragraphs say what it asks. */
    static final int MAX_STATEMENT_CHARS = 700;

    private final ExtractiveAnswerer extractive;
    private final int passages;

    ExerciseGuide(ExtractiveAnswerer extractive, int passages) {
        this.extractive = extractive;
        this.passages = passages;
    }

    /**
     * @param teaching the sections found for the exercise (and the question), exercises already left out
     * @param withheld a written answer held solution code and this replaces it
     */
    Answer answer(ExerciseRequest request, List<SearchHit> teaching, String question, boolean degraded,
                  boolean withheld) {
        StringBuilder text = new StringBuilder(request.exercise() == null ? ANY : NAMED.formatted(request.title()));
        List<Citation> citations = new ArrayList<>();
        if (request.exercise() != null) {
            SearchHit exercise = request.exercise().asHit();
            citations.add(Citation.of(1, exercise));
            text.append("\n\n**").append(exercise.title()).append("**: ").append(statement(exercise.content()))
                    .append(" [1]");
        }
        Set<String> asked = ExtractiveAnswerer.terms(question + " "
                + (request.exercise() == null ? "" : request.exercise().statement()));
        for (SearchHit hit : teaching.subList(0, Math.min(passages, teaching.size()))) {
            int index = citations.size() + 1;
            citations.add(Citation.of(index, hit));
            text.append("\n\n**").append(hit.title()).append("**: ").append(extractive.bestSentences(hit.content(), asked))
                    .append(" [").append(index).append(']');
        }
        if (withheld) {
            text.append(WITHHELD);
        }
        return new Answer(text.toString(), citations, true, AnswerMode.EXTRACTIVE, degraded);
    }

    /** The statement's prose, whole when short, else its first sentences and an ellipsis. */
    static String statement(String content) {
        List<String> sentences = ExtractiveAnswerer.sentences(content);
        StringBuilder text = new StringBuilder();
        for (String s : sentences) {
            if (!text.isEmpty() && text.length() + s.length() > MAX_STATEMENT_CHARS) {
                return text.append(" …").toString();
            }
            text.append(text.isEmpty() ? "" : " ").append(s);
        }
        return text.isEmpty() ? content.strip() : text.toString();
    }
}
