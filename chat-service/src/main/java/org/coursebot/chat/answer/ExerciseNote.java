package org.coursebot.chat.answer;

import org.coursebot.chat.exercises.ExerciseRequest;

/**
 * What an answer to a request for an exercise's solution says about it: the exercise (title and url, null when the
 * request named none in particular), its course's policy ({@code guide}: answered as a tutor, {@code open}: as any
 * question), and whether a written answer was withheld because it held solution code ({@code withheld}).
 */
public record ExerciseNote(String title, String url, String policy, boolean withheld) {

    static ExerciseNote of(ExerciseRequest request, boolean withheld) {
        return new ExerciseNote(request.title(), request.exercise() == null ? null : request.exercise().url(),
                request.policy().wire(), withheld);
    }
}
