package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The exercise a question describes in its own words: the words of it that only one of the course's exercises has
 * (in its title or statement), such as "margarine", "hash" and "author" for the git course's archaeology exercise,
 * or one file name only its statement names ("longest.sh"). Words every course uses are not counted. Pure: no I/O.
 */
final class DistinctiveWords {

    /**
     * Words only one exercise has that a question must share with it: two (one word alone is a coincidence as often
     * as not on the tuning questions: "request", "array"), or one file name.
     */
    static final int MIN_WORDS = 2;

    private static final Pattern FILE_NAME = Pattern.compile("[\\p{L}\\p{N}_\\-]+\\.(js|mjs|cjs|ts|sql|sh|md|py|txt"
            + "|csv|json|pdb|dat)");
    /** General words of four letters or more: that one exercise's text happens to hold one says nothing. */
    private static final Set<String> GENERAL = Set.of("that", "this", "with", "from", "have", "what", "which", "when",
            "where", "would", "could", "should", "there", "their", "them", "then", "than", "they", "your", "into",
            "just", "like", "also", "some", "only", "each", "every", "other", "more", "most", "does", "doesnt", "dont",
            "cant", "need", "want", "will", "been", "were", "make", "sure", "file", "files", "give", "write", "code",
            "please", "thanks", "help", "work", "works", "know", "about", "after", "before", "again", "still", "using",
            "used", "here", "same", "very", "much", "many", "such", "because", "while", "between", "both", "first",
            "second", "time", "tell", "show", "send", "full", "whole", "working", "command", "commands", "script",
            "exercise", "exercises", "solution", "answer", "answers", "following", "find", "output", "result",
            "directory", "folder", "course", "lesson", "thing", "stuck", "trying", "right", "wrong", "correct",
            "these", "those", "being", "doing", "done", "gives", "able", "well", "good");

    /** What was found: the exercise and the words that point to it. */
    record Match(Exercise exercise, List<String> words) {
    }

    private DistinctiveWords() {
    }

    static Optional<Match> find(List<String> questionWords, ExerciseIndex exercises) {
        Set<String> asked = keys(questionWords);
        Match best = null;
        boolean tie = false;
        for (int i = 0; i < exercises.exercises().size(); i++) {
            List<String> only = new ArrayList<>();
            boolean file = false;
            for (String k : asked) {
                if (exercises.stems(i).contains(k) && exercises.exercisesWith(k) == 1) {
                    only.add(k);
                    file |= FILE_NAME.matcher(k).matches();
                }
            }
            if (only.size() >= MIN_WORDS || file) {
                if (best == null || only.size() > best.words().size()) {
                    best = new Match(exercises.exercises().get(i), only);
                    tie = false;
                } else if (only.size() == best.words().size()) {
                    tie = true;
                }
            }
        }
        return tie ? Optional.empty() : Optional.ofNullable(best);
    }

    /** Stems of the words worth counting, and file names whole. */
    static Set<String> keys(List<String> words) {
        Set<String> keys = new LinkedHashSet<>();
        for (String w : words) {
            if (FILE_NAME.matcher(w).matches()) {
                keys.add(w);
            }
            for (String part : w.split("[.\\-]")) {
                if (part.length() >= 4 && !GENERAL.contains(part) && !part.chars().allMatch(Character::isDigit)) {
                    keys.add(Words.stem(part));
                }
            }
        }
        return keys;
    }
}
