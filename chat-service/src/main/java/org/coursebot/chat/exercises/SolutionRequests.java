package org.coursebot.chat.exercises;

import java.util.List;
import java.util.Optional;

import org.coursebot.chat.exercises.ExerciseReferences.Reference;
import org.coursebot.chat.exercises.SolutionAsks.Ask;

/**
 * Recognises a student's request for the solution of an exercise: the question names an exercise of the course (by
 * number, title or pasted statement, or just "the exercises") and asks for the answer or the code to hand in. A
 * question that asks about an exercise, asks for a hint, or asks for code without naming an exercise (the course's
 * own examples) is not one. Measured on the sample courses' question sets (docs/benchmarks.md, "Exercise requests").
 * Pure: no I/O.
 */
public final class SolutionRequests {

    private SolutionRequests() {
    }

    /**
     * Whether the question asks for the solution of one of the course's exercises.
     *
     * @param exercises the course's exercises (their headings and statements); none when the course has none
     */
    public static Recognition classify(String question, List<Exercise> exercises) {
        return classify(question, new ExerciseIndex(exercises), null);
    }

    /**
     * ... or, when it asks for code without naming an exercise, whether search's best section for it is an exercise
     * ({@code bestHit}, null when it is not one): "my loop that echoes the numbers from 0 to 9 doesn't work, just give
     * me the loop". A question about the course's own example code finds that example first, not an exercise.
     */
    public static Recognition classify(String question, List<Exercise> exercises, Exercise bestHit) {
        return classify(question, new ExerciseIndex(exercises), bestHit);
    }

    /** ... against the exercises as indexed once ({@link ExerciseIndex}), as a service asks many questions. */
    public static Recognition classify(String question, ExerciseIndex exercises, Exercise bestHit) {
        Optional<Reference> reference = ExerciseReferences.find(question, exercises);
        Optional<Ask> ask = SolutionAsks.of(reference.map(Reference::rest).orElseGet(() -> Words.of(question)));
        if (reference.isEmpty() && bestHit != null && ask.filter(Ask::forSolution).isPresent()) {
            return new Recognition(true, bestHit.heading(), "asks for code (\"" + ask.get().cue()
                    + "\") and its best section is the exercise");
        }
        if (reference.isEmpty()) {
            return new Recognition(false, null, ask.filter(Ask::forSolution)
                    .map(a -> "asks for code (\"" + a.cue() + "\") but names no exercise")
                    .orElse("names no exercise"));
        }
        Reference r = reference.get();
        String which = r.exercise() == null ? "exercises" : "\"" + r.exercise() + "\"";
        if (ask.isEmpty()) {
            return new Recognition(false, r.exercise(), "names " + which + " (" + r.how() + ") and asks about it");
        }
        if (!ask.get().forSolution()) {
            return new Recognition(false, r.exercise(), "names " + which + " (" + r.how()
                    + ") and says the answer is not wanted (\"" + ask.get().cue() + "\")");
        }
        return new Recognition(true, r.exercise(), "names " + which + " (" + r.how() + ") and asks for the answer (\""
                + ask.get().cue() + "\")");
    }
}
