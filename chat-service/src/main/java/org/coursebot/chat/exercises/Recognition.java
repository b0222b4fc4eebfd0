package org.coursebot.chat.exercises;

/**
 * Whether a question asks for the solution of an exercise, which exercise (its heading, or null when the question
 * names none in particular: "send me all the exercise answers") and why, in words a staff member can check.
 */
public record Recognition(boolean solutionRequest, String exercise, String why) {
}
