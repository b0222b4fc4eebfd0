package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A course's exercise question set ({@code exercise-questions.jsonl}: solution requests direct, disguised and pasted;
 * questions about an exercise; ordinary questions) asked through {@code POST /api/chat} of a running system, whose
 * exercises are what ingest-service marked: whether each answer says it is a request for an exercise's solution
 * ({@code exercise} not null), and which exercise, against what the set expects (issue 35).
 */
final class ExerciseEvaluation {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How old chat-service's read of the exercises may be: short, so that the questions after an ingest see it. */
    static final String REFRESH_VARIABLE = "COURSEBOT_EXERCISES_REFRESH_INTERVAL";
    static final String REFRESH = "1s";

    /** One question as asked, and what came back. */
    record Outcome(String question, String split, String kind, boolean expected, String expectedExercise,
                   String exercise, String answer, String firstCitation) {

        boolean recognised() {
            return exercise != null;
        }
    }

    /** Recognition on one split: precision and recall, and requests recognised with another exercise than meant. */
    record Score(String split, int truePositives, int falsePositives, int falseNegatives, int trueNegatives,
                 int wrongExercise) {

        double precision() {
            return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? 1.0 : (double) truePositives / (truePositives + falseNegatives);
        }

        String format() {
            return String.format(Locale.ROOT, "exercise requests, %s: precision %.2f, recall %.2f (tp %d, fp %d, fn %d,"
                            + " tn %d), recognised as another exercise %d%n", split, precision(), recall(), truePositives,
                    falsePositives, falseNegatives, trueNegatives, wrongExercise);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String chatUrl;

    ExerciseEvaluation(String chatUrl) {
        this.chatUrl = chatUrl;
    }

    List<Outcome> ask(Path jsonl) throws IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode q = JSON.readTree(line);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(chatUrl + "/api/chat"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("question", q.get("question").asText())))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("POST /api/chat -> " + r.statusCode() + ": " + r.body());
            }
            JsonNode answer = JSON.readTree(r.body());
            JsonNode exercise = answer.path("exercise");
            outcomes.add(new Outcome(q.get("question").asText(), q.path("split").asText("tuning"),
                    q.path("kind").asText(), q.path("expected").asBoolean(), q.path("exercise").asText(null),
                    exercise.isObject() ? exercise.path("title").asText("") : null, answer.path("answer").asText(),
                    answer.path("citations").path(0).path("url").asText(null)));
        }
        return outcomes;
    }

    static Score score(List<Outcome> outcomes, String split) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        int wrong = 0;
        for (Outcome o : outcomes) {
            if (!o.split().equals(split)) {
                continue;
            }
            if (o.expected() && o.recognised()) {
                tp++;
                if (o.expectedExercise() != null && !o.expectedExercise().equals(o.exercise())) {
                    wrong++;
                }
            } else if (o.recognised()) {
                fp++;
            } else if (o.expected()) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Score(split, tp, fp, fn, tn, wrong);
    }

    /**
     * Asks the set, prints both splits' scores and the misses, and checks the held-out split against floors set
     * just under what was measured on it, and that every request recognised got the tutor's answer (the offline
     * default: the exercise's statement and the sections that teach it) and every other question the usual one.
     */
    static void assertRecognisedAndGuided(RunningSystem system, String set, double minPrecision, double minRecall)
            throws Exception {
        Thread.sleep(Duration.parse("PT" + REFRESH).toMillis() + 200); // the ingest's exercises read by chat-service
        List<Outcome> outcomes = new ExerciseEvaluation(system.chatUrl()).ask(system.repo.resolve(set));
        Score tuning = score(outcomes, "tuning");
        Score heldOut = score(outcomes, "held-out");
        // Written 2026-12-07 after the recogniser's last change, and measured once: what a new question gets.
        Score fresh = score(outcomes, "fresh");
        System.out.print(tuning.format() + heldOut.format() + fresh.format());
        misses(outcomes).forEach(m -> System.out.println("  exercise request miss: " + m));
        assertThat(heldOut.precision()).as("held-out precision").isGreaterThanOrEqualTo(minPrecision);
        assertThat(heldOut.recall()).as("held-out recall").isGreaterThanOrEqualTo(minRecall);
        assertThat(heldOut.wrongExercise() + tuning.wrongExercise())
                .as("requests recognised as another exercise").isZero();
        for (Outcome o : outcomes) {
            if (o.recognised() && o.exercise() != null && !o.exercise().isEmpty()) {
                assertThat(o.answer()).as(o.question())
                        .startsWith("This looks like " + o.exercise() + ", a graded exercise")
                        .contains("**" + o.exercise() + "**: ");
            } else if (!o.recognised()) {
                assertThat(o.answer()).as(o.question()).doesNotStartWith("This looks like");
            }
        }
    }

    /** The questions decided otherwise than the set expects, for the log. */
    static List<String> misses(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.expected() != o.recognised()
                        || (o.recognised() && o.expectedExercise() != null && !o.expectedExercise().equals(o.exercise())))
                .map(o -> o.split() + " " + o.kind() + ": \"" + o.question() + "\" -> "
                        + (o.recognised() ? "\"" + o.exercise() + "\"" : "not a request")).toList();
    }
}
