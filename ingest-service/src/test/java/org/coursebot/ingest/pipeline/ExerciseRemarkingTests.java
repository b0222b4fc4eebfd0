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
 * parsed, and keeps its marking until it changes or its validators are cleared.
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

    private long run(SourceSettings source) {
        long id = runs.start("demo", "admin", false, null).await().atMost(Duration.ofSeconds(10));
        RunStatus status = pipeline.run(id, "demo", source, false, new RunProgress()).await().atMost(Duration.ofSeconds(120));
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
