package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coursebot.system.SampleCourseSystemTests.ScriptRun;
import org.coursebot.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * deploy/ops/spaces.sh as an operator runs it against the running system (docs/embedding-spaces.md): the offline
 * system (the local model, space 1) changed to text-embedding-3-small at 512 dimensions (the fake OpenAI server on
 * 127.0.0.1), rolled back, and what the script refuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpacesScriptTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer openAi;
    private static RunningSystem system;
    private static Path questions;

    @BeforeAll
    static void startTheOfflineSystemWithAKeyForTheNewModel() throws Exception {
        openAi = FakeOpenAiServer.start();
        // The first space stays the local model; the key and the fake serve the new space (and chat's answers).
        system = RunningSystem.start(Map.of("COURSEBOT_EMBEDDING_PROVIDER", "local", "OPENAI_API_KEY", "sk-spaces-test",
                "COURSEBOT_EMBEDDING_BASE_URL", openAi.baseUrl(), "OPENAI_BASE_URL", openAi.baseUrl()));
        JsonNode run = system.ingest();
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        // The sample course's first 30 questions, in compare.sh's format; the course is served at /course/.
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(system.repo.resolve("deploy/demo-course/questions.jsonl")).subList(0, 30)) {
            JsonNode q = JSON.readTree(line);
            lines.add(JSON.writeValueAsString(Map.of("question", q.get("question").asText(),
                    "expectedUrl", system.chatUrl() + "/course" + q.path("expectedPage").asText("/"))));
        }
        questions = Files.createTempFile("spaces-questions", ".jsonl");
        Files.write(questions, lines);
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.close();
        }
        if (questions != null) {
            Files.deleteIfExists(questions);
        }
    }

    @Test
    @Order(1)
    void listShowsTheLocalModelActiveAndCoveringTheCourse() throws Exception {
        ScriptRun list = spaces("list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).containsPattern("1 active +local +all-minilm-l6-v2-q +384 +(\\d+)/\\1 \\(100\\.0%\\)");
    }

    @Test
    @Order(2)
    void changeBuildsComparesAndActivatesTheNewModelAndSaysHowToRollBack() throws Exception {
        ScriptRun change = spaces("change", "text-embedding-3-small", "--dimensions", "512", "--questions",
                questions.toString(), "--yes");
        assertThat(change.exitCode()).as(change.output()).isZero();
        assertThat(change.output()).contains("created space 2 (building)", "(dry run) started", "succeeded",
                "hit@5", "MRR", "Jaccard@5", "space 2 (openai text-embedding-3-small/512) is active",
                "roll back with: deploy/ops/spaces.sh activate 1");
        // The local model finds the expected pages; the fake's random vectors do not.
        assertThat(change.output()).containsPattern("hit@5 +[1-9]\\d*\\.\\d% +0\\.0%");
        assertThat(awaitSearchedSpace(2)).isEqualTo(2);
        assertThat(spaces("list").output()).containsPattern("2 active +openai +text-embedding-3-small +512 +(\\d+)/\\1");
    }

    @Test
    @Order(3)
    void aRollbackIsOneActivationAndTheOldSpaceCannotBeRetiredRightAfter() throws Exception {
        ScriptRun back = spaces("activate", "1");
        assertThat(back.exitCode()).as(back.output()).isZero();
        assertThat(awaitSearchedSpace(1)).isEqualTo(1);
        ScriptRun retire = spaces("retire", "2");
        assertThat(retire.exitCode()).as(retire.output()).isEqualTo(3);
        assertThat(retire.output()).contains("HTTP 409", "retry after").doesNotEndWith(" 3\n");
    }

    @Test
    @Order(4)
    void aGateTheCandidateMissesRefusesWithExit3AndBadInputWithExit2() throws Exception {
        ScriptRun gated = spaces("compare", "1", "2", questions.toString(), "--min-mrr", "1");
        assertThat(gated.exitCode()).as(gated.output()).isEqualTo(3);
        assertThat(gated.output()).contains("below threshold: MRR");
        assertThat(spaces("compare", "1", "2", questions.toString(), "--min-hit5", "1.5").exitCode()).isEqualTo(2);
        assertThat(spaces("activate", "two").exitCode()).isEqualTo(2);
        assertThat(spaces("frobnicate").exitCode()).isEqualTo(2);
        ScriptRun unknown = spaces("activate", "99");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(1);
        assertThat(unknown.output()).contains("HTTP 404", "no embedding space 99");
    }

    /** The space chat-service's answers report, once it has followed the activation (its poll is 2 s). */
    private static int awaitSearchedSpace(int expected) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        int seen = -1;
        while (Instant.now().isBefore(deadline)) {
            seen = system.getJson(system.chatUrl() + "/api/search?q=event+loop", Map.of())
                    .at("/embeddingSpace/id").asInt();
            if (seen == expected) {
                break;
            }
            Thread.sleep(200);
        }
        return seen;
    }

    private static ScriptRun spaces(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", system.repo.resolve("deploy/ops/spaces.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(system.repo.toFile()).redirectErrorStream(true);
        builder.environment().put("ADMIN_TOKEN", RunningSystem.ADMIN_TOKEN);
        builder.environment().put("INGEST_URL", system.ingestUrl());
        builder.environment().put("CHAT_URL", system.chatUrl());
        return ScriptRun.of(builder);
    }
}
