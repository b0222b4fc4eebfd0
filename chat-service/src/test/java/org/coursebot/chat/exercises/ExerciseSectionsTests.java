package org.coursebot.chat.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.coursebot.chat.exercises.ExerciseRepository.MarkedSection;
import org.junit.jupiter.api.Test;

/** Which of the sections ingest marked as exercises are exercises of their own. */
class ExerciseSectionsTests {

    private static MarkedSection marked(String page, String path) {
        String title = path.substring(path.lastIndexOf('›') + 1).strip();
        return new MarkedSection(page, path, new ExerciseSection("course", title, page + "#" + title.hashCode(), "text"));
    }

    private static List<String> titles(MarkedSection... sections) {
        return ExerciseRepository.exercises(List.of(sections)).stream().map(ExerciseSection::title).toList();
    }

    @Test
    void anUnnumberedHeadingThatGathersNumberedExercisesIsNoExerciseItself() {
        assertThat(titles(marked("p1", "Basics › Exercises"), marked("p1", "Basics › Exercises › Exercise 1.1: hello"),
                marked("p1", "Basics › Exercises › Exercise 1.2: json"))).containsExactly("Exercise 1.1: hello",
                "Exercise 1.2: json");
    }

    @Test
    void aSectionUnderAnExerciseIsPartOfIt() {
        assertThat(titles(marked("p1", "Sorting › Exercise 3: sort"), marked("p1", "Sorting › Exercise 3: sort › Part a"),
                marked("p1", "Files › Creating Files a Different Way"),
                marked("p1", "Files › Creating Files a Different Way › Solution")))
                .containsExactly("Exercise 3: sort", "Creating Files a Different Way");
    }

    @Test
    void theSameHeadingPathOnAnotherPageIsAnotherExercise() {
        assertThat(titles(marked("p1", "Exercises"), marked("p2", "Exercises › Exercise 2.1: branch")))
                .containsExactly("Exercises", "Exercise 2.1: branch");
    }
}
