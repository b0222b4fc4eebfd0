package org.coursebot.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.coursebot.ingest.extract.ExerciseMarking;
import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** The page hash the diff compares: a page marked differently is written again, its chunks' texts not embedded again. */
class PageHashTests {

    private static final String URL = "https://course.example.org/part1/a/";
    private static final String PAGE = """
            <html><head><title>Shell</title></head><body><main><h1>Shell</h1><p>The shell runs commands.</p>
            <div class=challenge id=which><h2>Which command?</h2><p>List the files.</p></div></main></body></html>""";

    @Test
    void aChangedExerciseMarkingChangesThePageHashButNotTheChunksTexts() {
        List<CourseChunk> before = chunks(ExerciseMarking.DEFAULTS);
        List<CourseChunk> after = chunks(ExerciseMarking.of(null, ".challenge"));

        assertThat(after).extracting(c -> c.contentType().dbValue()).contains("exercise");
        assertThat(before).extracting(c -> c.contentType().dbValue()).doesNotContain("exercise");
        assertThat(after).extracting(CourseChunk::contentHash).isEqualTo(before.stream().map(CourseChunk::contentHash).toList());
        assertThat(PageDiff.pageHash(after)).isNotEqualTo(PageDiff.pageHash(before));
        assertThat(PageDiff.pageHash(chunks(ExerciseMarking.DEFAULTS))).isEqualTo(PageDiff.pageHash(before));
    }

    private static List<CourseChunk> chunks(ExerciseMarking marking) {
        return new PageChunker(ExtractionSettings.defaults().withExercises(marking)).chunk("course", URL, Jsoup.parse(PAGE, URL));
    }
}
