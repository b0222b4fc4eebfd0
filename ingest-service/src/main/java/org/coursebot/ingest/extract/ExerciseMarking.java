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
 * <p>For a course whose policy is {@code guide}, {@code solutions} ({@code .exercise-solutions}) says what in an
 * exercise is its solution: an element matching it inside an exercise section or box is left out of the text, and a
 * matching h1–h4 leaves out its whole section ({@link SectionExtractor}).
 *
 * @param headings         matched (found) in a heading's text, case-insensitively and with Unicode word boundaries
 * @param selector         the CSS selector of exercise boxes as configured; null for none
 * @param boxes            {@code selector} parsed; null for none
 * @param solutionSelector the CSS selector of solutions left out; null when solutions stay (policy {@code open})
 * @param solutions        {@code solutionSelector} parsed; null when solutions stay
 */
public record ExerciseMarking(Pattern headings, String selector, Evaluator boxes, String solutionSelector,
                              Evaluator solutions) {

    /**
     * The default heading pattern: "Exercise(s) …" (numbered "Exercises 3.1.-3.6." too), "Assignment(s) …" and
     * their names in the languages course sites here are written in.
     */
    public static final String DEFAULT_HEADINGS = "\\b(exercises?|assignments?|harjoitus|harjoitukset|tehtävä|tehtävät"
            + "|tehtäviä|übung|übungen|aufgaben?|ejercicios?|exercices?|esercizi|oefeningen|uppgifter|övningar)\\b";

    /**
     * The default solutions: the class Carpentries lessons, Sphinx and Jupyter Book put on them ({@code solution},
     * on a {@code <details>} or a {@code <div>}); a {@code <details>} whose own summary says solution or answer
     * ("Show me the solution"), and no other (a "Hint" or "More about pipes" stays); a section heading that is
     * only "Solution(s)"/"Answer(s)", perhaps numbered, "model"/"suggested", or "to"/"for" something, not one that
     * merely starts with the word ("Solution of a system of equations").
     */
    public static final String DEFAULT_SOLUTIONS = ".solution, .solutions, "
            + "details:has(> summary:matches((?i)\\b(solutions?|answers?)\\b)), "
            + ":is(h1, h2, h3, h4):matches((?i)^\\W*((model|suggested|sample|example)\\s+)?(solutions?|answers?)\\b"
            + "(\\W*\\d[\\d.]*|\\s+(to|for)\\b.*)?\\W*$)";

    /** Case-insensitive in any script, {@code \b} and {@code \w} on Unicode letters ("tehtävä", "übung"). */
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

    /** The default headings, no selector, solutions kept. */
    public static final ExerciseMarking DEFAULTS = of(null, null);

    /**
     * Solutions kept, as with policy {@code open}; {@link #leavingOut} for {@code guide}.
     *
     * @param headingsRegex the heading pattern; null for {@link #DEFAULT_HEADINGS}
     * @param selector      a jsoup CSS selector of exercise boxes; null or blank for none
     * @throws IllegalArgumentException when either is invalid, saying why
     */
    public static ExerciseMarking of(String headingsRegex, String selector) {
        String css = selector == null || selector.isBlank() ? null : selector.strip();
        return new ExerciseMarking(headings(headingsRegex == null ? DEFAULT_HEADINGS : headingsRegex), css,
                css == null ? null : parse(css), null, null);
    }

    /**
     * This marking, its exercises' solutions left out of what is stored (policy {@code guide}).
     *
     * @param solutionsSelector a jsoup CSS selector of solutions; null or blank for {@link #DEFAULT_SOLUTIONS}
     * @throws IllegalArgumentException when it is invalid, saying why
     */
    public ExerciseMarking leavingOut(String solutionsSelector) {
        String css = solutionsSelector == null || solutionsSelector.isBlank() ? DEFAULT_SOLUTIONS : solutionsSelector.strip();
        return new ExerciseMarking(headings, selector, boxes, css, parse(css));
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

    /** A selector parsed by jsoup; fails with "is not a valid CSS selector: …" when it is not. */
    public static Evaluator parse(String selector) {
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

    /** Whether the element is a solution to leave out (policy guide), wherever it is; {@link #inBox} says where. */
    boolean isSolution(Element e) {
        return solutions != null && e.is(solutions);
    }

    /** Whether the element is, or sits inside, a solution to leave out, below {@code box}. */
    boolean inSolution(Element e, Element box) {
        if (solutions == null) {
            return false;
        }
        for (Element a = e; a != null && a != box; a = a.parent()) {
            if (a.is(solutions)) {
                return true;
            }
        }
        return false;
    }
}
