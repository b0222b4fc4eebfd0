package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.coursebot.ingest.extract.ExerciseMarking;
import org.junit.jupiter.api.Test;

class SourcesValidationTests {

    @Test
    void acceptsAWellFormedSource() {
        assertThat(SourcesValidation.problems(Map.of("course",
                SourceSettings.site("https://course.example.org/en/").withPartPattern("/part(?<part>\\d+)/(?<module>[a-z])/"))))
                .isEmpty();
    }

    @Test
    void namesTheKeyOfEveryProblem() {
        List<String> problems = SourcesValidation.problems(Map.of(
                "ftp", SourceSettings.site("ftp://course.example.org/"),
                "regex", SourceSettings.site("https://course.example.org/").withPatterns(List.of("/en/("), List.of("[z-a]")),
                "limits", SourceSettings.site("https://course.example.org/").withLimits(0, -1)
                        .withPartPattern("/part\\d+/"),
                "folder", SourceSettings.site("https://course.example.org/").withDirectory("/does/not/exist")));

        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"ftp\".base-url must be an http:// or https:// URL"));
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"regex\".include[0] is not a valid regex: '/en/('"));
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"regex\".exclude[0] is not a valid regex"));
        assertThat(problems).contains("coursebot.sources.\"limits\".max-pages must be at least 1, got 0",
                "coursebot.sources.\"limits\".max-depth must be at least 0, got -1");
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"limits\".part-pattern needs a named group"));
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"folder\".directory is not a readable folder"));
    }

    @Test
    void anInvalidExerciseHeadingPatternOrSelectorIsNamedByItsKey() {
        assertThat(SourcesValidation.problems(Map.of("labs", SourceSettings.site("https://course.example.org/")
                .withExercises(ExercisePolicy.OPEN, "^Lab \\d+", "div.challenge, .exercise")))).isEmpty();

        List<String> problems = SourcesValidation.problems(Map.of("labs", SourceSettings.site("https://course.example.org/")
                .withExercises(ExercisePolicy.GUIDE, "Lab (\\d+", "div..challenge")));
        assertThat(problems).hasSize(2);
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"labs\".exercise-headings is not a valid regex: 'Lab (\\d+'"));
        assertThat(problems).anyMatch(p -> p.startsWith("coursebot.sources.\"labs\".exercise-selector is not a valid CSS selector: 'div..challenge'"));
    }

    @Test
    void anInvalidExerciseSolutionsSelectorStopsStartUpNamingTheKey() {
        SourcesConfig valid = () -> Map.of("labs", SourceSettings.site("https://course.example.org/")
                .withExerciseSolutions(ExerciseMarking.DEFAULT_SOLUTIONS));
        assertThat(SourcesValidation.problems(valid.sources())).isEmpty();

        SourcesConfig config = () -> Map.of("labs", SourceSettings.site("https://course.example.org/")
                .withExerciseSolutions("details:has(> summary"));
        assertThatThrownBy(() -> new SourcesValidation(config).onStart(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("coursebot.sources.\"labs\".exercise-solutions is not a valid CSS selector:"
                        + " 'details:has(> summary'");
    }

    @Test
    void anInvalidExerciseSelectorStopsStartUpNamingTheKey() {
        SourcesConfig config = () -> Map.of("labs", SourceSettings.site("https://course.example.org/")
                .withExercises(ExercisePolicy.GUIDE, null, ".challenge:has("));
        assertThatThrownBy(() -> new SourcesValidation(config).onStart(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("coursebot.sources.\"labs\".exercise-selector is not a valid CSS selector: '.challenge:has('");
    }

    @Test
    void scopeKeepsToBaseUrlsPath() {
        SiteScope scope = SiteScope.of("k", SourceSettings.site("https://course.example.org/en"));
        assertThat(scope.onSite("https://course.example.org/en")).isTrue();
        assertThat(scope.onSite("https://course.example.org/en/part1/")).isTrue();
        assertThat(scope.onSite("https://course.example.org/english/")).isFalse();
        assertThat(scope.onSite("https://course.example.org.evil.com/en/")).isFalse();
        assertThat(scope.onSite("http://course.example.org/en/")).isFalse();
    }
}
