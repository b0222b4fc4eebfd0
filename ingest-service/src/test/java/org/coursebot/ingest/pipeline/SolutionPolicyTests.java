package org.coursebot.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.coursebot.ingest.crawl.ExercisePolicy;
import org.coursebot.ingest.crawl.SourceSettings;
import org.coursebot.ingest.extract.ExerciseMarking;
import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * A source's policy and exercise-solutions as a run extracts its pages: guide (the default) leaves the default or
 * the course's solutions out, open keeps them; the page hash tells them apart, so a page parsed again is rewritten.
 */
class SolutionPolicyTests {

    private static final String URL = "https://course.example.org/part1/a/";
    private static final String PAGE = """
            <html><head><title>Shell</title></head><body><main><h1>Shell</h1><p>The shell runs commands.</p>
            <div class=challenge id=which><h2>Which command?</h2><p>List the files.</p>
            <details class=solution><summary>Solution</summary><p>ls -F</p></details>
            <div class=model-answer><p>ls -a</p></div></div></main></body></html>""";

    private static final SourceSettings COURSE = SourceSettings.site("https://course.example.org/");

    @Test
    void guideIsTheDefaultAndLeavesOutTheDefaultSolutions() {
        ExerciseMarking marking = IngestPipeline.exercises(COURSE.withExercises(ExercisePolicy.GUIDE, null, ".challenge"));
        assertThat(marking.solutionSelector()).isEqualTo(ExerciseMarking.DEFAULT_SOLUTIONS);
        assertThat(IngestPipeline.exercises(COURSE).solutionSelector()).isEqualTo(ExerciseMarking.DEFAULT_SOLUTIONS);
        assertThat(exercise(marking)).isEqualTo("List the files.\n\nls -a");
    }

    @Test
    void aCoursesOwnSelectorReplacesTheDefault() {
        ExerciseMarking marking = IngestPipeline.exercises(COURSE.withExercises(ExercisePolicy.GUIDE, null, ".challenge")
                .withExerciseSolutions(".model-answer"));
        assertThat(exercise(marking)).isEqualTo("List the files.\n\nSolution\n\nls -F");
    }

    @Test
    void openKeepsTheSolutionsWhateverTheSelector() {
        ExerciseMarking marking = IngestPipeline.exercises(COURSE.withExercises(ExercisePolicy.OPEN, null, ".challenge")
                .withExerciseSolutions(".model-answer"));
        assertThat(marking.solutions()).isNull();
        assertThat(exercise(marking)).isEqualTo("List the files.\n\nSolution\n\nls -F\n\nls -a");
    }

    @Test
    void aPolicyChangeChangesThePageHashAndTheExercisesTextOnly() {
        List<CourseChunk> open = chunks(IngestPipeline.exercises(COURSE.withExercises(ExercisePolicy.OPEN, null, ".challenge")));
        List<CourseChunk> guide = chunks(IngestPipeline.exercises(COURSE.withExercises(ExercisePolicy.GUIDE, null, ".challenge")));
        assertThat(PageDiff.pageHash(guide)).isNotEqualTo(PageDiff.pageHash(open));
        assertThat(guide).extracting(CourseChunk::id).isEqualTo(open.stream().map(CourseChunk::id).toList());
        for (int i = 0; i < guide.size(); i++) {
            boolean exercise = guide.get(i).contentType() == ContentType.EXERCISE;
            assertThat(guide.get(i).contentHash().equals(open.get(i).contentHash())).isEqualTo(!exercise);
        }
    }

    private static String exercise(ExerciseMarking marking) {
        return chunks(marking).stream().filter(c -> c.contentType() == ContentType.EXERCISE).map(CourseChunk::content)
                .findFirst().orElseThrow();
    }

    private static List<CourseChunk> chunks(ExerciseMarking marking) {
        return new PageChunker(ExtractionSettings.defaults().withExercises(marking)).chunk("course", URL, Jsoup.parse(PAGE, URL));
    }
}
