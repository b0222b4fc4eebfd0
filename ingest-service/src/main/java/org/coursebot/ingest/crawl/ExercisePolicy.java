package org.coursebot.ingest.crawl;

import java.util.Locale;

/**
 * What chat-service does with a request for an exercise's solution ({@code coursebot.sources."<name>".exercises}),
 * written to {@code course_policy.exercises} as {@link #dbValue()}.
 */
public enum ExercisePolicy {
    /** A tutor's answer: the exercise's statement and the sections that teach what it needs, never the solution. */
    GUIDE,
    /** Answered like any other question. */
    OPEN;

    /** The value in {@code course_policy.exercises} and in the admin API: {@code guide} or {@code open}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
