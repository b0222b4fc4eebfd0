package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coursebot.ingest.extract.TestPages.PAGE;
import static org.coursebot.ingest.extract.TestPages.page;

import java.util.List;

import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.junit.jupiter.api.Test;

/** A course's own exercise headings and boxes (coursebot.sources."<name>".exercise-headings / .exercise-selector). */
class ExerciseMarkingTests {

    private static final String LABS = """
            <main><h1>Networking</h1>
              <h2 id=sockets>Sockets</h2><p>A socket is an endpoint.</p>
              <h2 id=lab-3>Lab 3: an echo server</h2><p>Write a server that echoes.</p>
              <h3>Hints</h3><p>Use a loop.</p>
              <h2>Tehtävä 4: asiakas</h2><p>Kirjoita asiakas.</p>
              <h2>Exercises</h2><p>Read chapter 2.</p>
              <h2>Laboratory safety</h2><p>No food.</p>
            </main>""";

    /** A Carpentries lesson: a challenge box (with its solution box) in the middle of a section. */
    private static final String CARPENTRIES = """
            <main><h1>Navigating files</h1>
              <h2 id=paths>Absolute and relative paths</h2><p>A path names a file.</p>
              <div class="challenge" id=which-path><h3>Which path?</h3><p>Starting from /Users/amanda, which command?</p>
                <div class="solution"><h4>Solution</h4><p>cd ../backup</p></div></div>
              <p>Relative paths start from the working directory.</p>
              <h2 id=tips>Tips</h2><p>Tab completes names.</p>
            </main>""";

    @Test
    void aCoursesOwnHeadingPatternMarksItsExercisesAndReplacesTheDefault() {
        ExerciseMarking labs = ExerciseMarking.of("^(lab \\d+|tehtävä)\\b", null);
        assertThat(types(LABS, labs)).containsExactly(ContentType.PAGE, ContentType.SECTION, ContentType.EXERCISE,
                ContentType.EXERCISE, ContentType.EXERCISE, ContentType.SECTION, ContentType.SECTION);
        assertThat(types(LABS, ExerciseMarking.DEFAULTS)).as("by default only the words of the default pattern")
                .containsExactly(ContentType.PAGE, ContentType.SECTION, ContentType.SECTION, ContentType.SUBSECTION,
                        ContentType.EXERCISE, ContentType.EXERCISE, ContentType.SECTION);
    }

    @Test
    void theHeadingPatternIgnoresCaseInAnyScript() {
        ExerciseMarking finnish = ExerciseMarking.of("\\bTEHTÄVÄ\\b", null);
        assertThat(finnish.titleSays("tehtävä 2.1")).isTrue();
        assertThat(finnish.titleSays("Tehtäväpaketti")).isFalse();
    }

    @Test
    void theDefaultMarksNumberedExercisesAndAssignmentsNotWordsThatContainThem() {
        ExerciseMarking d = ExerciseMarking.DEFAULTS;
        assertThat(List.of("Exercises 3.1.-3.6.", "Exercise 2.6: constraint errors", "Assignment 1: a shell",
                "Assignments", "Übung 4", "Harjoitukset")).allMatch(d::titleSays);
        assertThat(List.of("Exercising restraint", "Reassignment of variables", "Tasks of the server"))
                .noneMatch(d::titleSays);
    }

    @Test
    void aHeadingInsideASelectedBoxIsAnExerciseAndTheTextAfterTheBoxIsNot() {
        List<Section> plain = SectionExtractor.extract(page(CARPENTRIES), PAGE, null, ExerciseMarking.DEFAULTS);
        assertThat(plain).extracting(Section::contentType).as("a challenge is not an exercise by its markup alone")
                .containsExactly(ContentType.PAGE, ContentType.SECTION, ContentType.SUBSECTION, ContentType.SUBSECTION,
                        ContentType.SECTION);

        List<Section> s = SectionExtractor.extract(page(CARPENTRIES), PAGE, null, ExerciseMarking.of(null, ".challenge"));
        assertThat(s).extracting(Section::title).containsExactly("Navigating files", "Absolute and relative paths",
                "Which path?", "Solution", "Tips");
        assertThat(s).extracting(Section::contentType).containsExactly(ContentType.PAGE, ContentType.SECTION,
                ContentType.EXERCISE, ContentType.EXERCISE, ContentType.SECTION);
        assertThat(s.get(2).importance()).isEqualTo(SectionKind.EXERCISE);
        assertThat(s.get(2).url()).isEqualTo(PAGE + "#which-path");
        assertThat(s.get(1).content()).as("the section the box sits in goes on after it, and stays a section")
                .endsWith("Relative paths start from the working directory.");
    }

    @Test
    void aPdfSectionIsAnExerciseByTheCoursesHeadingPattern() {
        ExerciseMarking labs = ExerciseMarking.of("^lab \\d+", null);
        assertThat(SectionKind.ofTitle("Lab 2: breakpoints", 1, labs)).isEqualTo(ContentType.EXERCISE);
        assertThat(SectionKind.ofTitle("Exercise 2", 1, labs)).isEqualTo(ContentType.SECTION);
        assertThat(SectionKind.ofTitle("Lab 2: breakpoints", 1, ExerciseMarking.DEFAULTS)).isEqualTo(ContentType.SECTION);
    }

    @Test
    void theChunksCarryTheMarkingOfTheSettings() {
        List<CourseChunk> chunks = TestPages.chunks(ExtractionSettings.defaults()
                .withExercises(ExerciseMarking.of(null, "div.challenge")), CARPENTRIES);
        assertThat(chunks).filteredOn(c -> c.contentType() == ContentType.EXERCISE).extracting(CourseChunk::title)
                .containsExactly("Which path?", "Solution");
    }

    @Test
    void anInvalidPatternOrSelectorSaysWhy() {
        assertThatThrownBy(() -> ExerciseMarking.of("Lab (", null)).hasMessageStartingWith("is not a valid regex: 'Lab ('");
        assertThatThrownBy(() -> ExerciseMarking.of(null, "div..challenge"))
                .hasMessageStartingWith("is not a valid CSS selector: 'div..challenge'");
        assertThatThrownBy(() -> ExerciseMarking.of(" ", null)).hasMessageStartingWith("must not be blank");
    }

    private static List<ContentType> types(String body, ExerciseMarking marking) {
        return SectionExtractor.extract(page(body), PAGE, null, marking).stream().map(Section::contentType).toList();
    }
}
