package org.coursebot.chat.exercises;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check a written answer to an exercise request passes before a student sees it: solution-shaped code is a code
 * block longer than a few lines, or one that uses two or more of the names the exercise asks for (its files, routes,
 * variables: {@code schema.sql}, {@code /api/persons}, {@code DATABASE_URL}). A chat model told to give hints still
 * writes solutions now and then; this is what keeps them from the student. Pure: no I/O.
 */
public final class SolutionCheck {

    private static final Pattern FENCED = Pattern.compile("(?m)^\\s*(```|~~~)[^\\n]*\\n(.*?)^\\s*\\1\\s*$",
            Pattern.DOTALL);
    /** An exercise's names: paths, file names, module specifiers, CONSTANT_CASE and camelCase identifiers. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w/.:-])(?:/[\\w:.-]+(?:/[\\w:.-]+)*"
            + "|[A-Za-z_][\\w-]*(?:[.:][\\w-]+)+|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[a-z]+[A-Z][\\w]*)(?![\\w])");
    /** Common words of the form above that say nothing about one exercise. */
    private static final Set<String> COMMON = Set.of("e.g", "i.e", "etc.", "node:test");

    private SolutionCheck() {
    }

    /**
     * Why {@code answer} holds solution-shaped code for {@code exercise} (null: an exercise not known, where only the
     * length counts), or empty when it does not.
     */
    public static Optional<String> solutionIn(String answer, ExerciseSection exercise, int maxCodeLines) {
        Set<String> names = exercise == null ? Set.of() : names(exercise.statement());
        Matcher block = FENCED.matcher(answer);
        while (block.find()) {
            String code = block.group(2);
            long lines = code.lines().filter(l -> !l.isBlank()).count();
            if (lines > maxCodeLines) {
                return Optional.of("a code block of " + lines + " lines (more than " + maxCodeLines + ")");
            }
            Set<String> used = new LinkedHashSet<>();
            for (String name : names) {
                if (code.contains(name)) {
                    used.add(name);
                }
            }
            if (used.size() >= 2) {
                return Optional.of("a code block with the exercise's names " + String.join(", ", used));
            }
        }
        return Optional.empty();
    }

    /** The names an exercise's statement asks for. */
    static Set<String> names(String statement) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(statement);
        while (m.find()) {
            String name = m.group().replaceAll("[.:]+$", "");
            if (name.length() > 2 && !COMMON.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
