package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SourcesConfigTests.TwoSources.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
class SourcesConfigTests {

    /** Two sources, one with every key set and one with only the required one. */
    public static class TwoSources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String course = "coursebot.sources.\"full-stack\".";
            return Map.ofEntries(
                    Map.entry(course + "base-url", "https://fullstackopen.com/en/"),
                    Map.entry(course + "include[0]", "^/en/part\\d+/"),
                    Map.entry(course + "exclude[0]", "/drafts/"),
                    Map.entry(course + "max-pages", "300"),
                    Map.entry(course + "max-depth", "4"),
                    Map.entry(course + "delay", "1s"),
                    Map.entry(course + "timeout", "3s"),
                    Map.entry(course + "max-page-bytes", "1000000"),
                    Map.entry(course + "part-pattern", "/part(?<part>\\d+)/(?<module>[a-z])/"),
                    Map.entry(course + "allow-private-network", "true"),
                    Map.entry(course + "schedule", "0 3 * * *"),
                    Map.entry(course + "main-selector", "div.content"),
                    Map.entry(course + "pdf.enabled", "false"),
                    Map.entry(course + "pdf.max-bytes", "1048576"),
                    Map.entry(course + "pdf.max-pages", "40"),
                    Map.entry(course + "exercises", "open"),
                    Map.entry(course + "exercise-headings", "^(Lab|Tehtävä) \\d+"),
                    Map.entry(course + "exercise-selector", ".challenge"),
                    Map.entry(course + "exercise-solutions", ".answer, details:has(> summary:matchesOwn((?i)key))"),
                    Map.entry("coursebot.sources.minimal.base-url", "https://course.example.org/"),
                    // other features' keys share the coursebot prefix and must not upset this mapping
                    Map.entry("coursebot.embedding.provider", "local"),
                    Map.entry("coursebot.ingest.on-start", "false"));
        }
    }

    @Inject
    SourcesConfig config;

    TestDatabase database;

    @Test
    void bindsEveryKeyOfASource() {
        SourcesConfig.Source source = config.sources().get("full-stack");
        assertThat(source.baseUrl()).isEqualTo("https://fullstackopen.com/en/");
        assertThat(source.include()).contains(List.of("^/en/part\\d+/"));
        assertThat(source.exclude()).contains(List.of("/drafts/"));
        assertThat(source.maxPages()).isEqualTo(300);
        assertThat(source.maxDepth()).isEqualTo(4);
        assertThat(source.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(source.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(source.maxPageBytes()).isEqualTo(1_000_000);
        assertThat(source.partPattern()).contains("/part(?<part>\\d+)/(?<module>[a-z])/");
        assertThat(source.allowPrivateNetwork()).isTrue();
        assertThat(source.schedule()).contains("0 3 * * *");
        assertThat(source.mainSelector()).contains("div.content");
        assertThat(source.pdf().enabled()).isFalse();
        assertThat(source.pdf().maxBytes()).isEqualTo(1_048_576);
        assertThat(source.pdf().maxPages()).isEqualTo(40);
        assertThat(source.exercises()).isEqualTo(ExercisePolicy.OPEN);
        assertThat(source.exerciseHeadings()).contains("^(Lab|Tehtävä) \\d+");
        assertThat(source.exerciseSelector()).contains(".challenge");
        assertThat(source.exerciseSolutions()).as("a group's commas are the selector's, not a list's")
                .contains(".answer, details:has(> summary:matchesOwn((?i)key))");
    }

    @Test
    void fillsDefaultsForAMinimalSource() {
        SourcesConfig.Source source = config.sources().get("minimal");
        assertThat(source.directory()).isEmpty();
        assertThat(source.include()).isEmpty();
        assertThat(source.maxPages()).isEqualTo(2000);
        assertThat(source.maxDepth()).isEqualTo(10);
        assertThat(source.delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(source.userAgent()).isEqualTo("CoursebotCrawler/1.0 (+https://github.com/coursebot)");
        assertThat(source.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(source.maxPageBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(source.allowPrivateNetwork()).isFalse();
        assertThat(source.schedule()).isEmpty();
        assertThat(source.pdf().enabled()).isTrue();
        assertThat(source.pdf().maxBytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(source.pdf().maxPages()).isEqualTo(300);
        assertThat(source.exercises()).isEqualTo(ExercisePolicy.GUIDE);
        assertThat(source.exerciseHeadings()).isEmpty();
        assertThat(source.exerciseSelector()).isEmpty();
        assertThat(source.exerciseSolutions()).isEmpty();
    }

    @Test
    void publishesEachCoursesExercisesPolicyAtStartup() throws InterruptedException {
        String expected = "full-stack open, minimal guide";
        String rows = null;
        for (int attempt = 0; attempt < 50 && !expected.equals(rows); attempt++) {
            Thread.sleep(100); // written in the background once the service has started
            rows = database.queryString("SELECT string_agg(source || ' ' || exercises, ', ' ORDER BY source) FROM course_policy");
        }
        assertThat(rows).isEqualTo(expected);
    }
}
