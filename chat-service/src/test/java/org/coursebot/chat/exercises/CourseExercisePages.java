package org.coursebot.chat.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A course's exercises read from its HTML, test side: the boxes that hold one exercise each ({@code div.exercise} in
 * the courses this team wrote, {@code div.challenge} in The Carpentries' lesson), their first heading and their text
 * without the solution folded into them. It stands in for what ingest marks ({@code content_type = 'exercise'}), which
 * chat-service cannot read without a database; ingest marks the Carpentries' challenges as nothing yet (issue 35,
 * item 1: a per-course selector).
 */
final class CourseExercisePages {

    static final String BOXES = "div.exercise, div.challenge";

    private CourseExercisePages() {
    }

    static List<Exercise> read(Path site) {
        List<Exercise> exercises = new ArrayList<>();
        try (Stream<Path> files = Files.walk(site)) {
            for (Path page : files.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
                Document doc = Jsoup.parse(Files.readString(page, StandardCharsets.UTF_8));
                for (Element box : doc.select(BOXES)) {
                    Element heading = box.selectFirst("h2, h3, h4");
                    if (heading == null) {
                        continue;
                    }
                    Element statement = box.clone();
                    statement.select("details, .solution, h2, h3, h4").remove();
                    exercises.add(new Exercise(heading.text(), statement.text()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exercises;
    }
}
