package org.coursebot.system.answers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.system.faults.IngestProcess;
import org.coursebot.testing.FakeOpenAiServer;

/**
 * The sample course (deploy/demo-course) ingested by the packaged ingest-service, embedded by the fake OpenAI
 * server, and questions that reach the chat model. The fake's vectors are random, so every cosine is near 0 and
 * the model's threshold (0.3) would leave each question "not covered", answered without the chat model: the
 * questions ask with threshold 0, in the course's own words, so the coverage decision says covered.
 */
final class SampleCourse {

    static final String BASE_URL = "https://course.example.org/";

    static final List<String> QUESTIONS = List.of(
            "how do routes work",
            "what does the event loop do",
            "how do i read the request body",
            "why should node_modules stay out of git",
            "which status code means the record was not found");

    private SampleCourse() {
    }

    /** Ingests the course into {@code databaseUrl} (the writer role); fails unless every page is written. */
    static void ingest(Path repo, String name, String databaseUrl, FakeOpenAiServer openAi) throws Exception {
        try (IngestProcess ingest = IngestProcess.start(repo, name, databaseUrl, BASE_URL, openAi.baseUrl(),
                Map.of("COURSEBOT_SOURCES_COURSE_DIRECTORY", repo.resolve("deploy/demo-course").toString()))) {
            JsonNode run = ingest.ingest(Duration.ofMinutes(3));
            if (!"succeeded".equals(run.get("status").asText()) || run.at("/counts/pagesFailed").asInt() != 0
                    || run.at("/counts/chunksEmbedded").asInt() == 0) {
                throw new AssertionError("ingest of the sample course: " + run + "\n" + ingest.logTail(30));
            }
        }
    }

    /** The request body of {@code /api/chat} for question number {@code n} (cycling through the list). */
    static Map<String, Object> ask(int n) {
        return ask(QUESTIONS.get(Math.floorMod(n, QUESTIONS.size())));
    }

    static Map<String, Object> ask(String question) {
        return Map.of("question", question, "threshold", 0.0);
    }
}
