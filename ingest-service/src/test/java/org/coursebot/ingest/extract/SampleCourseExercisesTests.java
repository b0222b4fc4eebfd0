package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * The default exercise marking on the two sample courses: exactly the sections marked before the heading pattern
 * became a setting (checked on 2026-12-07: every chunk's type, url and heading path the same before and after).
 */
class SampleCourseExercisesTests {

    @Test
    void theDemoCoursesExercisesAreItsExercisesSections() throws IOException {
        assertThat(exercises("demo-course")).containsExactly(
                "part1/a/#exercises Node.js and HTTP basics › Exercises",
                "part1/a/#exercise-1-1 Node.js and HTTP basics › Exercises › Exercise 1.1: hello server",
                "part1/a/#exercise-1-2 Node.js and HTTP basics › Exercises › Exercise 1.2: phonebook as JSON",
                "part1/c/ Routing with Express › Exercises › Exercise 1.3: phonebook with Express",
                "part1/c/ Routing with Express › Exercises › Exercise 1.4: one person",
                "part1/c/ Routing with Express › Exercises › Exercise 1.5: info page",
                "part2/a/#exercise-2-1 REST APIs and receiving data › Exercises › Exercise 2.1: adding people",
                "part2/a/#exercise-2-2 REST APIs and receiving data › Exercises › Exercise 2.2: validation",
                "part2/a/#exercise-2-3 REST APIs and receiving data › Exercises › Exercise 2.3: deleting",
                "part2/c/ Storing data in PostgreSQL › Exercises › Exercise 2.4: phonebook table",
                "part2/c/ Storing data in PostgreSQL › Exercises › Exercise 2.5: persons from the database",
                "part2/c/ Storing data in PostgreSQL › Exercises › Exercise 2.6: constraint errors",
                "part3/a/ Testing with node:test › Exercises › Exercise 3.1: first unit tests",
                "part3/a/ Testing with node:test › Exercises › Exercise 3.2: API tests",
                "part3/a/ Testing with node:test › Exercises › Exercise 3.3: bad input");
    }

    @Test
    void theGitCoursesExercisesAreItsExercisesSections() throws IOException {
        assertThat(exercises("git-course")).containsExactly(
                "part1/a/#exercises Getting started with Git › Exercises",
                "part1/a/#exercise-1-1 Getting started with Git › Exercises › Exercise 1.1: set up Git",
                "part1/a/#exercise-1-2 Getting started with Git › Exercises › Exercise 1.2: inside and outside",
                "part1/c/ Exploring and undoing history › Exercises › Exercise 1.3: three commits",
                "part1/c/ Exploring and undoing history › Exercises › Exercise 1.4: undo and redo",
                "part1/c/ Exploring and undoing history › Exercises › Exercise 1.5: archaeology",
                "part2/a/#exercise-2-1 Branches and merging › Exercises › Exercise 2.1: a fast-forward",
                "part2/a/#exercise-2-2 Branches and merging › Exercises › Exercise 2.2: a merge commit",
                "part2/a/#exercise-2-3 Branches and merging › Exercises › Exercise 2.3: your own conflict",
                "part3/a/#exercise-3-1 Remote repositories › Exercises › Exercise 3.1: recipes on the server",
                "part3/a/#exercise-3-2 Remote repositories › Exercises › Exercise 3.2: two computers");
    }

    @Test
    void bothCoursesChunkByteForByteAsBeforeWithTheirSolutionsLeftOut() throws IOException {
        // Their exercises hold no solution: with the default policy (guide) nothing is left out. Checked on each chunk
        // record (id, text, hash, type, url, parent, position) of every page, against the chunks solutions kept.
        ExtractionSettings before = ExtractionSettings.defaults();
        ExtractionSettings guide = before.withExercises(ExerciseMarking.DEFAULTS.leavingOut(null));
        int chunks = 0;
        for (String course : List.of("demo-course", "git-course")) {
            Path root = Path.of("../deploy", course);
            for (Path file : htmlFiles(root)) {
                String url = "https://" + course + ".example.org/" + root.relativize(file).toString().replace("index.html", "");
                List<CourseChunk> kept = new PageChunker(before).chunk(course, url, Jsoup.parse(file.toFile(), null, url));
                assertThat(new PageChunker(guide).chunk(course, url, Jsoup.parse(file.toFile(), null, url)))
                        .as(url).isEqualTo(kept);
                chunks += kept.size();
            }
        }
        assertThat(chunks).isGreaterThan(100);
    }

    private static List<Path> htmlFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
        }
    }

    /** "url-after-base heading path" of each exercise section with text, pages in path order. */
    private static List<String> exercises(String course) throws IOException {
        Path root = Path.of("../deploy", course);
        String base = "https://" + course + ".example.org/";
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).sorted().toList()) {
                String url = base + root.relativize(file).toString().replace("index.html", "");
                for (Section s : SectionExtractor.extract(Jsoup.parse(file.toFile(), null, url), url, null,
                        ExerciseMarking.DEFAULTS)) {
                    if (s.contentType() == ContentType.EXERCISE && !s.content().isEmpty()) {
                        found.add(s.url().substring(base.length()) + " " + s.headingPath());
                    }
                }
            }
        }
        return found;
    }
}
