package org.coursebot.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.coursebot.ingest.crawl.ExercisePolicy;
import org.coursebot.ingest.crawl.SourceSettings;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.ingest.store.RunStatus;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * What a changed exercise marking does to an ingested course (docs/configuration.md, exercise-headings): a page the
 * next run parses is written again with its new marking and nothing is embedded; a page that did not change is not
 * parsed, and keeps its marking until it changes or its validators are cleared. The same for the solutions a policy
 * change leaves out or lets in (docs/exercises.md, "Solutions in the course's pages").
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ExerciseRemarkingTests {

    private static final String BASE = "https://demo.example.org/";
    private static final String PORT = "SELECT content_type || ' ' || importance FROM course_chunk"
            + " WHERE page_url = '" + BASE + "part1/a/' AND title = 'When the port is already taken'";

    TestDatabase database;

    @Inject
    IngestPipeline pipeline;

    @Inject
    RunRepository runs;

    @Test
    void aChangedMarkingReachesAPageWhenARunParsesItAgainWithoutEmbedding() throws IOException {
        Path site = copyOfTheDemoCourse();
        try {
            remarks(site);
        } finally {
            try (Stream<Path> files = Files.walk(site)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void remarks(Path site) throws IOException {
        SourceSettings plain = SourceSettings.site(BASE).withDirectory(site.toString());
        // The course marks one more box as an exercise: the h3#port-in-use section of part1/a.
        SourceSettings marked = plain.withExercises(ExercisePolicy.GUIDE, null, "#port-in-use");

        run(plain);
        assertThat(database.queryString(PORT)).isEqualTo("subsection 0.8");

        long unchanged = run(marked);
        assertThat(database.queryString(PORT)).as("the file did not change: not parsed, marking kept")
                .isEqualTo("subsection 0.8");
        assertThat(counts(unchanged)).isEqualTo("0 0");

        Path page = site.resolve("part1/a/index.html");
        Files.setLastModifiedTime(page, FileTime.from(Files.getLastModifiedTime(page).toInstant().plusSeconds(60)));
        long touched = run(marked);
        assertThat(database.queryString(PORT)).as("parsed again: re-marked").isEqualTo("exercise 0.6");
        assertThat(counts(touched)).as("pages changed, chunks embedded").isEqualTo("1 0");

        database.execute("UPDATE page SET etag = NULL, last_modified = NULL WHERE source = 'demo'");
        long cleared = run(plain);
        assertThat(database.queryString(PORT)).as("validators cleared: every page parsed").isEqualTo("subsection 0.8");
        assertThat(counts(cleared)).isEqualTo("1 0");
    }

    @Test
    void aPolicyChangeReachesAPagesSolutionsWhenARunParsesItAgain() throws IOException {
        Path site = Files.createTempDirectory("coursebot-solutions");
        Path page = site.resolve("index.html");
        Files.writeString(page, """
                <html><head><title>Working with files</title></head><body><main><h1>Working with files</h1>
                <h2 id=moving>Moving files</h2><p>mv moves a file.</p>
                <div class="callout challenge" id=moving-back><h3 class="callout-title">Moving files back</h3>
                  <p>Jamie put the files in the wrong folder. Which command moves them back?</p>
                  <details class="solution"><summary>Show me the solution</summary><p>mv sucrose.dat ../raw</p></details>
                  <div class="solution"><h4>Solution</h4><p>Or cp then rm, from the parent directory.</p></div>
                </div><p>mv also renames a file.</p></main></body></html>""");
        SourceSettings open = SourceSettings.site("https://shell.example.org/").withDirectory(site.toString())
                .withExercises(ExercisePolicy.OPEN, null, ".challenge");
        SourceSettings guide = open.withExercises(ExercisePolicy.GUIDE, null, ".challenge");
        String solutions = "SELECT count(*) FROM course_chunk WHERE source = 'shell'"
                + " AND (content LIKE '%sucrose.dat%' OR content LIKE '%cp then rm%' OR title = 'Solution')";
        try {
            run("shell", open);
            assertThat(database.queryString(solutions)).as("open: solutions stored").isEqualTo("2");

            long unchanged = run("shell", guide);
            assertThat(database.queryString(solutions)).as("the file did not change: not parsed, solutions kept")
                    .isEqualTo("2");
            assertThat(counts(unchanged)).isEqualTo("0 0");

            Files.setLastModifiedTime(page, FileTime.from(Files.getLastModifiedTime(page).toInstant().plusSeconds(60)));
            long touched = run("shell", guide);
            assertThat(database.queryString(solutions)).as("parsed again: solutions gone").isEqualTo("0");
            assertThat(counts(touched)).as("the challenge's chunk embedded again, its solution's chunk deleted")
                    .isEqualTo("1 1");
            assertThat(database.queryString("SELECT chunks_deleted FROM ingest_run WHERE id = " + touched)).isEqualTo("1");
            assertThat(database.queryString("SELECT content FROM course_chunk WHERE source = 'shell'"
                    + " AND content_type = 'exercise'"))
                    .isEqualTo("Jamie put the files in the wrong folder. Which command moves them back?");

            database.execute("UPDATE page SET etag = NULL, last_modified = NULL WHERE source = 'shell'");
            run("shell", open);
            assertThat(database.queryString(solutions)).as("validators cleared: parsed, open stores them").isEqualTo("2");
        } finally {
            Files.delete(page);
            Files.delete(site);
        }
    }

    private long run(SourceSettings source) {
        return run("demo", source);
    }

    private long run(String name, SourceSettings source) {
        long id = runs.start(name, "admin", false, null).await().atMost(Duration.ofSeconds(10));
        RunStatus status = pipeline.run(id, name, source, false, new RunProgress()).await().atMost(Duration.ofSeconds(120));
        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        return id;
    }

    private String counts(long run) {
        return database.queryString("SELECT pages_changed || ' ' || chunks_embedded FROM ingest_run WHERE id = " + run);
    }

    private static Path copyOfTheDemoCourse() throws IOException {
        Path from = Path.of("../deploy/demo-course");
        Path to = Files.createTempDirectory("coursebot-demo");
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(f -> {
                try {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }
}
