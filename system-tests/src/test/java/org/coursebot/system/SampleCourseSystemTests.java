package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.model.SchemaVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The whole system on the offline default, over the bundled sample course, as `deploy/local/run.sh` runs it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleCourseSystemTests {

    private static RunningSystem system;
    private static JsonNode firstRun;

    @BeforeAll
    static void startAndIngest() throws Exception {
        system = RunningSystem.start(Map.of(ExerciseEvaluation.REFRESH_VARIABLE, ExerciseEvaluation.REFRESH));
        firstRun = system.ingest();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void firstIngestWritesEveryPageOfTheCourse() {
        assertThat(firstRun.get("status").asText()).isEqualTo("succeeded");
        JsonNode counts = firstRun.get("counts");
        assertThat(counts.get("pagesNew").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(counts.get("pagesFailed").asInt()).as(firstRun.get("errors").toString()).isZero();
        assertThat(counts.get("chunksEmbedded").asInt()).isGreaterThan(counts.get("pagesNew").asInt());
    }

    @Test
    @Order(2)
    void secondIngestOfTheUnchangedCourseEmbedsAndWritesNothing() throws Exception {
        JsonNode second = system.ingest();
        JsonNode counts = second.get("counts");
        assertThat(second.get("status").asText()).isEqualTo("succeeded");
        assertThat(counts.get("chunksEmbedded").asInt()).isZero();
        assertThat(counts.get("embeddingRequests").asInt()).isZero();
        assertThat(counts.get("pagesNew").asInt() + counts.get("pagesChanged").asInt()).isZero();
        assertThat(counts.get("pagesUnchanged").asInt()).isEqualTo(firstRun.get("counts").get("pagesNew").asInt());
    }

    @Test
    @Order(3)
    void followUpsAreAnsweredInTheirConversation() throws Exception {
        // Issue 29, held-out conversations: measured 9 of 9 follow-ups citing their page (4 of 9 with each question
        // searched alone), 4 of 4 topic switches, 2 of 3 out-of-scope follow-ups refused.
        Map<String, Long> right = new QualityEvaluation(system.chatUrl(), system.chatUrl() + "/course/")
                .rightHeldOut(system.repo.resolve("deploy/demo-course/conversations.jsonl"));
        assertThat(right.get("follow-up")).as("follow-ups").isGreaterThanOrEqualTo(8);
        assertThat(right.get("topic-switch")).as("topic switches, all").isEqualTo(4);
        assertThat(right.get("out-of-scope-follow-up")).as("out-of-scope follow-ups").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void requestsForAnExercisesSolutionAreRecognisedAndAnsweredAsATutor() throws Exception {
        // Measured 2026-12-07, held-out: precision 1.00, recall 1.00 (docs/exercises.md).
        ExerciseEvaluation.assertRecognisedAndGuided(system, "deploy/demo-course/exercise-questions.jsonl", 0.9, 0.9);
    }

    @Test
    @Order(3)
    void answerQualityStaysAboveTheMeasuredFloors() throws Exception {
        QualityEvaluation evaluation = new QualityEvaluation(system.chatUrl(), system.chatUrl() + "/course/");
        List<QualityEvaluation.Outcome> outcomes = evaluation.ask(
                QualityEvaluation.load(system.repo.resolve("deploy/demo-course/questions.jsonl")));
        System.out.print(evaluation.report(outcomes, QualityEvaluation.part(QualityEvaluation.TUNING)).format("tuning"));
        // The floors hold on the held-out part: nothing is fitted on it, so it says what a new course gets.
        QualityEvaluation.Report report = evaluation.report(outcomes, QualityEvaluation.part(QualityEvaluation.HELD_OUT));
        System.out.print(report.format("held-out"));
        report.misses().forEach(m -> System.out.println("  page not in top 5: " + m));
        QualityEvaluation.personalDecisionsChanged(outcomes).forEach(c -> System.out.println("  personal: " + c));
        for (String split : List.of(QualityEvaluation.TUNING, QualityEvaluation.HELD_OUT)) {
            System.out.print(evaluation.report(outcomes, QualityEvaluation.personal(split)).format(split + ", personal details"));
        }
        assertThat(QualityEvaluation.personalDecisionsChanged(outcomes))
                .as("questions with personal details decided otherwise than their plain question").isEmpty();
        assertThat(report.citationValidity()).isEqualTo(1.0);
        assertThat(report.pageHit1()).as("page hit@1").isGreaterThanOrEqualTo(QualityFloors.PAGE_HIT_1);
        assertThat(report.pageHit5()).as("page hit@5").isGreaterThanOrEqualTo(QualityFloors.PAGE_HIT_5);
        assertThat(report.pageMrr()).as("page MRR").isGreaterThanOrEqualTo(QualityFloors.PAGE_MRR);
        assertThat(report.sectionHit1()).as("section hit@1").isGreaterThanOrEqualTo(QualityFloors.SECTION_HIT_1);
        assertThat(report.sectionHit5()).as("section hit@5").isGreaterThanOrEqualTo(QualityFloors.SECTION_HIT_5);
        assertThat(report.sectionMrr()).as("section MRR").isGreaterThanOrEqualTo(QualityFloors.SECTION_MRR);
        assertThat(report.notCoveredAccuracy()).as("not-covered accuracy").isGreaterThanOrEqualTo(QualityFloors.NOT_COVERED_ACCURACY);
        assertThat(report.outOfScopeRefused()).as("out-of-scope questions refused").isGreaterThanOrEqualTo(16);
    }

    @Test
    @Order(3)
    void slideQuestionsCiteThePdfPageThatHoldsTheirText() throws Exception {
        // Issue 33: the sample course's slides (deploy/demo-course/slides) answer questions no page does; every
        // search hit citing a PDF page, for every question of the set, has its text on that page (PdfCitations opens
        // the PDF as a browser gets it, with PDFBox's plain text stripper).
        QualityEvaluation evaluation = new QualityEvaluation(system.chatUrl(), system.chatUrl() + "/course/");
        List<QualityEvaluation.Outcome> outcomes = evaluation.ask(
                QualityEvaluation.load(system.repo.resolve("deploy/demo-course/questions.jsonl")));
        QualityEvaluation.Report slides = evaluation.report(outcomes, q -> !q.personal() && QualityEvaluation.slides(q));
        System.out.print(slides.format("answered only by PDFs"));
        System.out.println(evaluation.pdfCitations.summary());
        assertThat(slides.answerable()).isGreaterThanOrEqualTo(12);
        assertThat(evaluation.pdfCitations.checked()).as("PDF pages cited").isGreaterThanOrEqualTo(slides.answerable());
        assertThat(evaluation.pdfCitations.onTheirPage()).as(evaluation.pdfCitations.summary())
                .isEqualTo(evaluation.pdfCitations.checked());
        assertThat(slides.citationValidity()).isEqualTo(1.0);
        // measured 2026-12-06: page hit@1 12 of 12, the right slide (title and page number) in the top 5 12 of 12
        assertThat(slides.pageHit1()).as("the slides first").isGreaterThanOrEqualTo(0.9);
        assertThat(slides.sectionHit5()).as("the right slide (its page number) in the top 5").isGreaterThanOrEqualTo(0.9);
        assertThat(slides.answerableRefused()).as("slide questions refused").isLessThanOrEqualTo(1);
    }

    @Test
    @Order(4)
    void chatPageStreamsTheAnswerAndItsCitationLinksLandOnTheCitedSection() throws Exception {
        Path screenshot = screenshots().resolve("chat-page.png");
        Files.deleteIfExists(screenshot);
        Path script = system.repo.resolve("deploy/local/browser-test.mjs");
        assertThat(script.resolveSibling("node_modules/playwright-core")).as("playwright-core: run deploy/local/tools.sh").isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .directory(script.getParent().toFile()).redirectErrorStream(true);
        builder.environment().put("CHAT_URL", system.chatUrl() + "/");
        builder.environment().put("SCREENSHOT", screenshot.toString());
        builder.environment().put("TIMEOUT_MS", "60000");
        ScriptRun browserTest = ScriptRun.of(builder);
        System.out.println("browser test screenshot: " + screenshot);
        assertThat(browserTest.exitCode()).as("browser test exit code; its output:%n%s", browserTest.output()).isZero();
        assertThat(screenshot).isRegularFile();
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png).as("PNG signature").startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    }

    @Test
    @Order(5)
    void oneStatementSearchFindsWhatTheThreeQuerySearchFoundForEveryQuestion() throws Exception {
        SearchPathComparison.assertSameResults(system, system.repo.resolve("deploy/demo-course/questions.jsonl"));
    }

    @Test
    @Order(6)
    void smokeScriptPassesEveryCheckAgainstTheRunningSystem() throws Exception {
        ScriptRun smoke = smoke(system.chatUrl(), "--admin-token", RunningSystem.ADMIN_TOKEN);
        assertThat(smoke.exitCode()).as("smoke.sh exit code; its output:%n%s", smoke.output()).isZero();
        assertThat(smoke.output().lines()).as("smoke.sh output:%n%s", smoke.output()).hasSize(7).allMatch(line -> line.startsWith("PASS "));
        assertThat(smoke.output()).contains("PASS schema and embedding space: schema " + SchemaVersion.CURRENT + " (database "
                        + SchemaVersion.CURRENT + ") on both services; chat-service searches space 1 (all-minilm-l6-v2-q/384),"
                        + " the active one",
                "PASS admin API closed: POST /admin/ingest without a token: 401",
                "PASS admin token: accepted", "PASS smoke: all 6 checks passed");
    }

    @Test
    @Order(7)
    void smokeScriptFailsOnAWrongAdminToken() throws Exception {
        ScriptRun smoke = smoke(system.chatUrl(), "--admin-token", "wrong");
        assertThat(smoke.exitCode()).as("smoke.sh exit code; its output:%n%s", smoke.output()).isEqualTo(1);
        assertThat(smoke.output()).contains("FAIL admin token: the admin token was refused (401)",
                "FAIL smoke: 1 of 6 checks failed: admin token");
    }

    /** A port where nothing listens stands for a chat-service that is down: the shared system stays up. */
    @Test
    @Order(8)
    void smokeScriptNamesChatServiceReadinessWhenChatServiceIsDown() throws Exception {
        String nowhere = "http://127.0.0.1:" + ServiceProcess.freePort();
        ScriptRun smoke = smoke(nowhere, "--admin-token", RunningSystem.ADMIN_TOKEN);
        assertThat(smoke.exitCode()).as("smoke.sh exit code; its output:%n%s", smoke.output()).isEqualTo(1);
        assertThat(smoke.output()).as("smoke.sh output")
                .contains("FAIL chat-service readiness: chat-service unreachable at " + nowhere + " (connection refused)",
                        "PASS ingest-service readiness", "FAIL answer: chat-service unreachable at " + nowhere,
                        "PASS admin token")
                .doesNotContain("smoke.sh: line", "Traceback");
    }

    /** OpenAI's official Node client (deploy/openai-client, npm openai pinned by its lock) streams an answer from /v1. */
    @Test
    @Order(9)
    void theOfficialNodeClientStreamsAnAnswerWithItsCitations() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", system.repo.resolve("deploy/openai-client/ask.sh").toString(),
                "--model", "coursebot-demo", "How do I read a JSON body in Express?")
                .directory(system.repo.toFile()).redirectErrorStream(true);
        builder.environment().put("COURSEBOT_URL", system.chatUrl());
        builder.environment().remove("COURSEBOT_API_KEY");
        ScriptRun ask = ScriptRun.of(builder);
        assertThat(ask.exitCode()).as("ask.sh exit code; its output:%n%s", ask.output()).isZero();
        assertThat(ask.output()).contains("Sources:", "Citations (stop, extractive answer):",
                system.chatUrl() + "/course/part2/a/#receiving-data");
    }

    /** deploy/ops/smoke.sh against the running ingest-service and {@code chatUrl}, as an operator runs it. */
    private static ScriptRun smoke(String chatUrl, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", system.repo.resolve("deploy/ops/smoke.sh").toString(),
                "--chat", chatUrl, "--ingest", system.ingestUrl()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).directory(system.repo.toFile()).redirectErrorStream(true);
        builder.environment().remove("ADMIN_TOKEN");
        return ScriptRun.of(builder);
    }

    /** A script run to its end (or killed after 3 minutes), its output (stdout and stderr) printed. */
    record ScriptRun(int exitCode, String output) {

        static ScriptRun of(ProcessBuilder builder) throws Exception {
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // Read while it runs: a full pipe would stall the script.
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
            boolean finished = process.waitFor(3, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String log = output.get(10, TimeUnit.SECONDS);
            System.out.print(log);
            assertThat(finished).as("%s finished within 3 minutes; its output:%n%s", builder.command(), log).isTrue();
            return new ScriptRun(process.exitValue(), log);
        }

        private static String readAll(Process process) {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The measured floors, in one place: measured 2026-11-26 on the held-out part of the sample course's set with
     * the local model (47 answerable, 21 out of scope; page hit@1 0.894, hit@5 0.979, MRR 0.921; section hit@1
     * 0.723, hit@5 0.957, MRR 0.818; 18 of 21 out of scope refused, 5 of 47 answerable refused, accuracy 88.2%),
     * each less about 0.05. Raise them when the answers get better; never fit anything on the held-out part.
     */
    static final class QualityFloors {
        static final double PAGE_HIT_1 = 0.84;
        static final double PAGE_HIT_5 = 0.93;
        static final double PAGE_MRR = 0.87;
        static final double SECTION_HIT_1 = 0.67;
        static final double SECTION_HIT_5 = 0.90;
        static final double SECTION_MRR = 0.76;
        static final double NOT_COVERED_ACCURACY = 0.83;
    }

    static Path screenshots() throws IOException {
        return Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
    }
}
