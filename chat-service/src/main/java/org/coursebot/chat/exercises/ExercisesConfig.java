package org.coursebot.chat.exercises;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How chat-service treats requests for an exercise's solution (each course's policy is ingest-service's setting). */
@ConfigMapping(prefix = "coursebot.exercises")
public interface ExercisesConfig {

    /**
     * The longest code block a written answer to an exercise request may hold, in lines: a longer one is a solution,
     * and the answer is withheld for the guide. Also withheld: a block that uses the exercise's own names.
     */
    @WithDefault("4")
    int maxCodeLines();

    /**
     * How old the exercises and policies read from the database may be when a question is checked against them: an
     * older read is renewed first (one short statement over a partial index), so a course ingested or a policy
     * changed counts within this time.
     */
    @WithDefault("10s")
    Duration refreshInterval();
}
