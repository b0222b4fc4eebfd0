package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which exercise a question names: by pasting part of its statement, by its number ("exercise 2.6", "ex. 2.6",
 * "2.6" alone when the course has an exercise 2.6), by its title's words ("my phonebook table doesn't work"), or
 * only by saying "exercise" (a reference to no exercise in particular). Pure: no I/O.
 */
final class ExerciseReferences {

    /**
     * A pasted statement shares word trigrams with the exercise's: at least {@value #PASTE_MIN_SHARED}, and at
     * least {@value #PASTE_MIN_SHARE} of the statement's (or {@value #PASTE_LONG_SHARED} however long the statement:
     * a student pastes the first paragraph of a long one). Fitted on the tuning questions: a pasted statement shares
     * 12 or more, a request that quotes one phrase of it 4 or 5 ("the numbers from 0 to 9", "the person with the
     * longest name"), and it is the ask that decides then.
     */
    static final int PASTE_MIN_SHARED = 4;
    static final double PASTE_MIN_SHARE = 0.15;
    static final int PASTE_LONG_SHARED = 10;

    /** Words that mean "an exercise", with the typos students make of them. */
    private static final String EXERCISE_WORD = "(?:exercises?|excercises?|exersices?|exercices?|exercis|exc|ex|exer"
            + "|tasks?|assignments?|assigments?|challenges?|problems?|homework|hw|tehtävä|harjoitus)";
    private static final String NUMBER = "(\\d+(?:\\.\\d+)+)";
    private static final Pattern NUMBERED = Pattern.compile("(?iU)\\b" + EXERCISE_WORD + "\\.?\\s*(?:#|no\\.?|nr\\.?"
            + "|number)?\\s*" + NUMBER + "(?!\\w)|(?<![\\w.])" + NUMBER + "\\s+" + EXERCISE_WORD + "\\b");
    private static final Pattern BARE_NUMBER = Pattern.compile("(?<![\\w.])(\\d+\\.\\d+)(?![\\w]|\\.\\d)");
    /** A bare number after these is a version, not an exercise ("node 18.2"). */
    private static final Pattern VERSION_BEFORE = Pattern.compile("(?i)(node|version|v|npm|git|express|python|bash"
            + "|java|release|postgres(?:ql)?)\\s*$");
    private static final Pattern ANY_EXERCISE_WORD = Pattern.compile("(?iU)\\b(?:exercises?|excercises?|exersices?"
            + "|exercices?|tasks?|assignments?|assigments?|challenges?|homework|problem sets?)\\b");
    static final Pattern HEADING_NUMBER = Pattern.compile("\\d+(?:\\.\\d+)+");
    /** "Exercise 2.4: phonebook table" -> "phonebook table"; a heading without a number is its own title. */
    private static final Pattern NUMBERED_HEADING = Pattern.compile("(?U)^\\s*\\S+\\s+\\d+(?:\\.\\d+)*\\s*[:.\\-–]\\s*(.+)$");
    /** Words a title match ignores: they say nothing about which exercise. */
    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "with", "in", "on", "to", "for", "and", "or",
            "vs", "what", "does", "do", "is", "your", "own", "my", "from", "by", "at", "as", "up", "using", "which",
            "it", "its", "new", "part", "why", "how", "them");

    /**
     * What was found: the exercise's heading (null when the question only says "exercise" or names a number the
     * course does not have), how it was found, and the question's words without those it pasted from the statement:
     * the asking part, where the recogniser looks for "solve this".
     */
    record Reference(String exercise, String how, List<String> rest) {
    }

    private ExerciseReferences() {
    }

    static Optional<Reference> find(String question, ExerciseIndex exercises) {
        List<String> words = Words.plain(question);
        Optional<Reference> pasted = pasted(words, exercises);
        if (pasted.isPresent()) {
            return pasted;
        }
        List<String> all = Words.of(question);
        return numbered(question, exercises, all)
                .or(() -> titled(words, question, exercises, all))
                .or(() -> DistinctiveWords.find(all, exercises).map(m -> new Reference(m.exercise().heading(),
                        "has words only it has: " + String.join(", ", m.words()), all)))
                .or(() -> ANY_EXERCISE_WORD.matcher(question).find()
                        ? Optional.of(new Reference(null, "mentions exercises", all)) : Optional.empty());
    }

    private static Optional<Reference> pasted(List<String> words, ExerciseIndex exercises) {
        List<String> grams = trigrams(words);
        Exercise best = null;
        Set<String> bestShared = Set.of();
        for (int i = 0; i < exercises.exercises().size(); i++) {
            Exercise e = exercises.exercises().get(i);
            Set<String> statement = exercises.statementTrigrams(i);
            Set<String> shared = new HashSet<>(grams);
            shared.retainAll(statement);
            boolean enough = shared.size() >= PASTE_MIN_SHARED
                    && (shared.size() >= PASTE_MIN_SHARE * statement.size() || shared.size() >= PASTE_LONG_SHARED);
            if (enough && shared.size() > bestShared.size()) {
                best = e;
                bestShared = shared;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        boolean[] covered = new boolean[words.size()];
        for (int i = 0; i + 2 < words.size(); i++) {
            if (bestShared.contains(grams.get(i))) {
                covered[i] = covered[i + 1] = covered[i + 2] = true;
            }
        }
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!covered[i]) {
                rest.add(words.get(i));
            }
        }
        return Optional.of(new Reference(best.heading(),
                "pastes its statement (" + bestShared.size() + " word trigrams in common)", rest));
    }

    private static Optional<Reference> numbered(String question, ExerciseIndex exercises, List<String> words) {
        Matcher named = NUMBERED.matcher(question);
        if (named.find()) {
            String number = named.group(1) != null ? named.group(1) : named.group(2);
            Exercise e = exercises.numbered(number);
            return Optional.of(new Reference(e == null ? null : e.heading(),
                    e == null ? "names exercise " + number + ", which the course does not have" : "names it by number",
                    words));
        }
        Matcher bare = BARE_NUMBER.matcher(question);
        while (bare.find()) {
            Exercise e = exercises.numbered(bare.group(1));
            if (e != null && !VERSION_BEFORE.matcher(question.substring(0, bare.start())).find()) {
                return Optional.of(new Reference(e.heading(), "names its number, " + bare.group(1), words));
            }
        }
        return Optional.empty();
    }

    /**
     * The exercise whose title's words the question has: all of them (two or more), all but one of four or more, or,
     * when the question also says "exercise" ("the which pipe challenge"), a one-word title or all but one of three.
     */
    private static Optional<Reference> titled(List<String> words, String question, ExerciseIndex exercises,
                                              List<String> all) {
        boolean saysExercise = ANY_EXERCISE_WORD.matcher(question).find();
        Exercise best = null;
        double bestScore = 0;
        for (int i = 0; i < exercises.exercises().size(); i++) {
            Exercise e = exercises.exercises().get(i);
            List<String> title = exercises.titleWords(i);
            int n = title.size();
            int m = 0;
            for (String t : title) {
                if (words.stream().anyMatch(w -> Words.sameWord(w, t))) {
                    m++;
                }
            }
            boolean enough = n >= 2 && m == n || n >= 4 && m >= n - 1
                    || saysExercise && (n == 1 && m == 1 || n == 3 && m == 2);
            double score = n == 0 ? 0 : (double) m / n + m / 100.0;
            if (enough && score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(new Reference(best.heading(), "has its title's words", all));
    }

    static List<String> titleWords(String heading) {
        Matcher m = NUMBERED_HEADING.matcher(heading);
        String title = m.matches() ? m.group(1) : heading;
        List<String> words = new ArrayList<>();
        for (String w : Words.plain(title.toLowerCase(Locale.ROOT))) {
            if (w.length() > 1 && !STOP.contains(w) && !words.contains(w)) {
                words.add(w);
            }
        }
        return words;
    }

    static List<String> trigrams(List<String> words) {
        List<String> grams = new ArrayList<>();
        for (int i = 0; i + 2 < words.size(); i++) {
            grams.add(words.get(i) + " " + words.get(i + 1) + " " + words.get(i + 2));
        }
        return grams;
    }
}
