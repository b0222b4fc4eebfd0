package org.coursebot.chat.exercises;

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
}
