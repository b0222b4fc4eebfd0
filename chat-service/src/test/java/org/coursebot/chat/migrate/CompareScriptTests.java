package org.coursebot.chat.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** deploy/ops/compare.sh as an operator runs it, against this app and the demo course: its promotion gates. */
@QuarkusTest
@QuarkusTestResource(value = LegacyMigrationFixture.class, restrictToAnnotatedClass = true)
class CompareScriptTests {

    /** Enough of the demo course's questions to measure something, few enough to run in seconds. */
    private static final int QUESTIONS = 20;
    private static final long TIMEOUT_SECONDS = 180;
    private static final Pattern MEASURED = Pattern.compile("(hit@5|MRR) ([0-9.]+) >=");

    LegacyMigrationFixture fixture;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void needsTheScriptsTools() {
        for (String tool : List.of("bash", "curl", "python3")) {
            assumeTrue(onPath(tool), "compare.sh needs " + tool + " on PATH (deploy/local/tools.sh installs the test tools)");
        }
    }

    @Test
    void passesGatesTheSampleCourseMeetsAndExits3OnOneJustAboveWhatItMeasured() throws Exception {
        Path questions = questionFile(true);

        Run met = compare("--min-hit5", "0.5", "--min-mrr", "0.3", "--min-validity", "0.9", questions.toString());
        assertThat(met.exitCode()).as(met.toString()).isZero();
        assertThat(met.stdout()).contains("Old vs new search: " + QUESTIONS + " questions").contains("hit@5")
                .contains("Where they disagree most");
        String metLine = lastLine(met.stdout());
        assertThat(metLine).startsWith("compare: thresholds met (");
        System.out.println("=== compare.sh, gates met ===\n" + metLine);

        // Just above what this run measured, so the test follows the data rather than pinning it.
        Map<String, Double> measured = measured(metLine);
        String gate = measured.get("hit@5") <= 0.998 ? "hit@5" : "MRR";
        assertThat(measured.get(gate)).as("one of hit@5 and MRR is below 1 on the demo course").isLessThanOrEqualTo(0.998);
        String floor = String.format(Locale.ROOT, "%.3f", measured.get(gate) + 0.001);
        Run below = compare(gate.equals("hit@5") ? "--min-hit5" : "--min-mrr", floor, "--min-validity", "0.9",
                questions.toString());
        assertThat(below.exitCode()).as(below.toString()).isEqualTo(3);
        assertThat(below.stdout()).contains("Where they disagree most").doesNotContain("thresholds met");
        String belowLine = lastLine(below.stderr());
        assertThat(belowLine).isEqualTo(String.format(Locale.ROOT, "compare: below threshold: %s %.3f < %s", gate,
                measured.get(gate), floor));
        System.out.println("=== compare.sh, gate missed ===\n" + belowLine);
    }

    @Test
    void rejectsAThresholdThatIsNoFractionWithExit2() throws Exception {
        Path questions = questionFile(true);
        for (String value : List.of("1.01", "-0.1", "90%", "abc")) {
            Run run = compare("--min-hit5", value, questions.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.stderr()).contains("--min-hit5 needs a fraction between 0 and 1").contains(value);
            assertThat(run.stdout()).isEmpty();
        }
        Run missing = compare("--min-validity");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--min-validity needs a fraction");
    }

    @Test
    void refusesARankGateWhenNoQuestionHasAnExpectedUrl() throws Exception {
        Path questions = questionFile(false);
        Run run = compare("--min-mrr", "0.5", questions.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("need questions with an expectedUrl");

        Run validityOnly = compare("--min-validity", "0.9", questions.toString());
        assertThat(validityOnly.exitCode()).as(validityOnly.toString()).isZero();
        assertThat(lastLine(validityOnly.stdout())).startsWith("compare: thresholds met (citation validity ");
    }

    /** The first questions of the demo course as JSONL, with their expected urls on the served site or without. */
    private Path questionFile(boolean withExpectedUrl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> q : fixture.questions()) {
            if (q.containsKey("expectedUrl") && lines.size() < QUESTIONS) {
                lines.add(mapper.writeValueAsString(withExpectedUrl ? q : Map.of("question", q.get("question"))));
            }
        }
        Path file = Files.createTempFile("compare-questions", ".jsonl");
        file.toFile().deleteOnExit();
        return Files.write(file, lines);
    }

    private Run compare(String... args) throws IOException, InterruptedException {
        Path root = LegacyMigrationFixture.demoCourse().getParent().getParent();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/ops/compare.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("compare", ".out");
        Path err = Files.createTempFile("compare", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            String url = base.toString();
            pb.environment().put("CHAT_URL", url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            pb.environment().put("ADMIN_TOKEN", LegacyMigrationFixture.ADMIN_TOKEN);
            Process process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Map<String, Double> measured(String metLine) {
        Map<String, Double> values = new HashMap<>();
        Matcher m = MEASURED.matcher(metLine);
        while (m.find()) {
            values.put(m.group(1), Double.valueOf(m.group(2)));
        }
        assertThat(values).as(metLine).containsKeys("hit@5", "MRR");
        return values;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** What a finished run of the script left behind. */
    private record Run(int exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
