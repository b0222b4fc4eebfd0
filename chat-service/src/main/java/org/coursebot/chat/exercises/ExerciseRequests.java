package org.coursebot.chat.exercises;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.SearchHit;

/**
 * Whether a question asks for the solution of one of the course's exercises ({@link SolutionRequests}, against the
 * exercises of the course asked, or of every course), and what its course's staff chose for that.
 */
@ApplicationScoped
public class ExerciseRequests {

    private final CourseExercises exercises;

    public ExerciseRequests(CourseExercises exercises) {
        this.exercises = exercises;
    }

    /**
     * @param question the student's question as asked
     * @param inContext the question joined with the earlier ones it leans on, null when it stands alone: "and the
     *                  code for it?" after "what does exercise 2.4 ask?"
     * @param source the course asked, null for every course
     * @param bestHit search's best section for the question, null when none is similar enough
     */
    public Uni<Optional<ExerciseRequest>> recognise(String question, String inContext, String source,
            SearchHit bestHit) {
        return exercises.fresh().map(ignored -> recogniseNow(question, inContext, source, bestHit));
    }

    private Optional<ExerciseRequest> recogniseNow(String question, String inContext, String source,
            SearchHit bestHit) {
        List<ExerciseSection> known = exercises.of(source);
        ExerciseIndex index = exercises.index(source);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Exercise hitExercise = bestHit == null || !"exercise".equals(bestHit.contentType()) ? null
                : known.stream().filter(e -> e.url().equals(bestHit.url()) && e.title().equals(bestHit.title()))
                        .map(ExerciseSection::exercise).findFirst().orElse(null);
        Recognition r = SolutionRequests.classify(question, index, hitExercise);
        if (!r.solutionRequest() && inContext != null) {
            r = SolutionRequests.classify(inContext, index, hitExercise);
        }
        if (!r.solutionRequest()) {
            return Optional.empty();
        }
        String title = r.exercise();
        ExerciseSection exercise = title == null ? null
                : known.stream().filter(e -> e.title().equals(title)).findFirst().orElse(null);
        String course = exercise != null ? exercise.source() : source;
        return Optional.of(new ExerciseRequest(exercise, exercises.policy(course), r.why()));
    }
}
