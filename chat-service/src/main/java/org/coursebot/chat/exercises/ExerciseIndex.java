package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A course's exercises with what recognising a request reads of them worked out once: each statement's word
 * trigrams, each title's words, each exercise's number, each exercise's distinctive word stems and in how many
 * exercises each stem occurs. Built when the exercises are read, not per question: per question it cost 1.5 ms with
 * 20 exercises and 17 ms with 200, on the event loop (measured 2026-12-07, /tmp bench of SolutionRequests.classify).
 * Immutable.
 */
public final class ExerciseIndex {

    private final List<Exercise> exercises;
    private final List<Set<String>> statementTrigrams = new ArrayList<>();
    private final List<List<String>> titleWords = new ArrayList<>();
    private final List<Set<String>> stems = new ArrayList<>();
    private final Map<String, Integer> stemExercises = new HashMap<>();
    private final Map<String, Exercise> byNumber = new LinkedHashMap<>();

    public ExerciseIndex(List<Exercise> exercises) {
        this.exercises = List.copyOf(exercises);
        for (Exercise e : this.exercises) {
            statementTrigrams.add(new HashSet<>(ExerciseReferences.trigrams(Words.plain(e.statement()))));
            titleWords.add(ExerciseReferences.titleWords(e.heading()));
            Set<String> keys = DistinctiveWords.keys(Words.of(e.heading() + " " + e.statement()));
            stems.add(keys);
            keys.forEach(k -> stemExercises.merge(k, 1, Integer::sum));
            Matcher m = ExerciseReferences.HEADING_NUMBER.matcher(e.heading());
            if (m.find()) {
                byNumber.putIfAbsent(m.group(), e);
            }
        }
    }

    public static final ExerciseIndex EMPTY = new ExerciseIndex(List.of());

    public List<Exercise> exercises() {
        return exercises;
    }

    public boolean isEmpty() {
        return exercises.isEmpty();
    }

    Set<String> statementTrigrams(int i) {
        return statementTrigrams.get(i);
    }

    List<String> titleWords(int i) {
        return titleWords.get(i);
    }

    Set<String> stems(int i) {
        return stems.get(i);
    }

    /** In how many exercises a stem occurs. */
    int exercisesWith(String stem) {
        return stemExercises.getOrDefault(stem, 0);
    }

    /** The exercise numbered so ("2.6"), null for none. */
    Exercise numbered(String number) {
        return byNumber.get(number);
    }
}
