package org.coursebot.chat.exercises;

/**
 * A question that asks for the solution of one of the course's exercises: the exercise (null when it names none in
 * particular: "send me all the exercise answers"), the policy of its course, and why it was recognised.
 */
public record ExerciseRequest(ExerciseSection exercise, ExercisePolicy policy, String why) {

    /** Answered as a tutor would, without the solution. */
    public boolean guided() {
        return policy == ExercisePolicy.GUIDE;
    }

    /** The exercise's heading, null when none in particular. */
    public String title() {
        return exercise == null ? null : exercise.title();
    }
}
