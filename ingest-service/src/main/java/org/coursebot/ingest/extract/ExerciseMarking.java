package org.coursebot.ingest.extract;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

/**
 * How one course marks its exercises ({@code coursebot.sources."<name>".exercise-headings} and
 * {@code .exercise-selector}): a heading whose text matches {@code headings}, or that sits inside an element matching
 * {@code boxes}, opens an exercise section. The markup heuristic of {@link SectionKind} (class or id saying exercise,
 * tasks, assignment) applies whatever these are.
 *
 * @param headings matched (found) in a heading's text, case-insensitively and with Unicode word boundaries
 * @param selector the CSS selector of exercise boxes as configured; null for none
 * @param boxes    {@code selector} parsed; null for none
 */
public record ExerciseMarking(Pattern headings, String selector, Evaluator boxes) {

    /**
     * The default heading pattern: "Exercise(s) …" (numbered "Exercises 3.1.-3.6." too), "Assignment(s) …" and
     * their names in the languages course sites here are written in.
     */
    public static final String DEFAULT_HEADINGS = "\\b(exercises?|assignments?|harjoitus|harjoitukset|tehtävä|tehtävät"
            + "|tehtäviä|übung|übungen|aufgaben?|ejercicios?|exercices?|esercizi|oefeningen|uppgifter|övningar)\\b";

    /** Case-insensitive in any script, {@code \b} and {@code \w} on Unicode letters ("tehtävä", "übung"). */
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

    /** The default headings, no selector. */
    public static final ExerciseMarking DEFAULTS = of(null, null);

    /**
     * @param headingsRegex the heading pattern; null for {@link #DEFAULT_HEADINGS}
     * @param selector      a jsoup CSS selector of exercise boxes; null or blank for none
     * @throws IllegalArgumentException when either is invalid, saying why
     */
    public static ExerciseMarking of(String headingsRegex, String selector) {
        String css = selector == null || selector.isBlank() ? null : selector.strip();
        return new ExerciseMarking(headings(headingsRegex == null ? DEFAULT_HEADINGS : headingsRegex), css,
                css == null ? null : boxes(css));
    }

    /** The heading pattern compiled as the extraction uses it; fails with "is not a valid regex: …" when it is not. */
    public static Pattern headings(String regex) {
        if (regex.isBlank()) {
            throw new IllegalArgumentException("must not be blank (a pattern that marks no heading is (?!))");
        }
        try {
            return Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("is not a valid regex: '" + regex + "' (" + e.getDescription()
                    + " near index " + e.getIndex() + ")");
        }
    }

    /** The selector parsed by jsoup; fails with "is not a valid CSS selector: …" when it is not. */
    public static Evaluator boxes(String selector) {
        try {
            return QueryParser.parse(selector);
        } catch (Selector.SelectorParseException e) {
            throw new IllegalArgumentException("is not a valid CSS selector: '" + selector + "' (" + e.getMessage() + ")");
        }
    }

    /** Whether a heading's text says it opens an exercise. */
    boolean titleSays(String title) {
        return headings.matcher(title).find();
    }

    /** Whether the heading is, or sits inside, an exercise box within the content root. */
    boolean inBox(Element heading, Element root) {
        if (boxes == null) {
            return false;
        }
        for (Element e = heading; e != null; e = e.parent()) {
            if (e.is(boxes)) {
                return true;
            }
            if (e == root) {
                return false;
            }
        }
        return false;
    }
}
