package org.coursebot.chat.exercises;

import java.util.Objects;

/**
 * One exercise of a course: its heading as the course has it ("Exercise 2.4: phonebook table", "Little Women") and
 * the text of its statement, without any solution the page folds into it.
 */
public record Exercise(String heading, String statement) {

    public Exercise {
        Objects.requireNonNull(heading, "heading");
        statement = statement == null ? "" : statement;
    }
}
