package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What recognising an exercise request costs a question (it runs on the event loop), with N generated exercises of 80
 * words: against the index built once per read of the exercises, and, for comparison, building it per question (what
 * the first version did). Prints milliseconds per question. Run after {@code mvn -pl chat-service -am test-compile}:
 * {@code java -cp chat-service/target/classes:chat-service/target/test-classes
 * org.coursebot.chat.exercises.RecognitionCostBench 20 200}.
 */
public final class RecognitionCostBench {

    private static final String[] QUESTIONS = {"how do I read a JSON body in Express?",
        "give me the code for exercise 3.4", "my loop doesnt work, just give me the loop",
        "what does exercise 2.1 ask for?"};

    private RecognitionCostBench() {
    }

    public static void main(String[] args) {
        for (String arg : args.length == 0 ? new String[] {"20", "200"} : args) {
            List<Exercise> exercises = exercises(Integer.parseInt(arg));
            ExerciseIndex index = new ExerciseIndex(exercises);
            double indexed = millisPerQuestion(q -> SolutionRequests.classify(q, index, null), 4000);
            double perQuestion = millisPerQuestion(q -> SolutionRequests.classify(q, exercises), 400);
            System.out.printf(Locale.ROOT, "%d exercises: %.3f ms per question with the index, %.3f ms building it"
                    + " per question%n", exercises.size(), indexed, perQuestion);
        }
    }

    private static double millisPerQuestion(java.util.function.Consumer<String> classify, int questions) {
        for (int i = 0; i < questions / 2; i++) {
            classify.accept(QUESTIONS[i % QUESTIONS.length]); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < questions; i++) {
            classify.accept(QUESTIONS[i % QUESTIONS.length]);
        }
        return (System.nanoTime() - start) / 1e6 / questions;
    }

    private static List<Exercise> exercises(int n) {
        Random random = new Random(1);
        String[] vocabulary = new String[3000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = "w" + Integer.toString(i * 7919, 36);
        }
        List<Exercise> exercises = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder statement = new StringBuilder();
            for (int j = 0; j < 80; j++) {
                statement.append(vocabulary[random.nextInt(vocabulary.length)]).append(j % 12 == 11 ? ". " : " ");
            }
            exercises.add(new Exercise("Exercise " + (i / 10 + 1) + "." + (i % 10 + 1) + ": "
                    + vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)],
                    statement.toString()));
        }
        return exercises;
    }
}
