package org.coursebot.chat.exercises;

import java.util.Locale;

/**
 * What a course's staff chose for requests for an exercise's solution ({@code coursebot.sources."<name>".exercises},
 * ingest-service's setting, which it writes to {@code course_policy}): {@code guide} answers as a tutor would, never
 * with the solution; {@code open} answers as any other question.
 */
public enum ExercisePolicy {
    GUIDE, OPEN;

    /** As configured and stored: {@code guide}, {@code open}; anything else (a newer value) is the safe one, guide. */
    static ExercisePolicy of(String stored) {
        return "open".equalsIgnoreCase(stored) ? OPEN : GUIDE;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
