package org.coursebot.ingest.crawl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.extract.ExerciseMarking;

/** Checks every configured source at start-up, so a bad regex or URL stops the service with one clear message. */
@ApplicationScoped
public class SourcesValidation {

    private final SourcesConfig config;

    public SourcesValidation(SourcesConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        List<String> problems = problems(config.sources());
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid course sources:\n  " + String.join("\n  ", problems));
        }
        config.sources().forEach((name, source) -> Log.infof("Source %s: %s%s, exercises %s", name, source.baseUrl(),
                source.directory().map(d -> " (from directory " + d + ")").orElse(""), source.exercises().dbValue()));
    }

    /** Every problem found, one line each naming the key; empty when all sources are valid. */
    static List<String> problems(Map<String, Source> sources) {
        List<String> problems = new ArrayList<>();
        sources.forEach((name, source) -> {
            String key = "coursebot.sources.\"" + name + "\"";
            check(problems, () -> SiteScope.baseUrl(key, source.baseUrl()));
            check(problems, () -> SiteScope.patterns(key + ".include", source.include().orElse(List.of())));
            check(problems, () -> SiteScope.patterns(key + ".exclude", source.exclude().orElse(List.of())));
            source.partPattern().ifPresent(p -> check(problems, () -> {
                SiteScope.compile(key + ".part-pattern", p);
                if (!p.contains("(?<part>") && !p.contains("(?<module>")) {
                    throw new IllegalArgumentException(key + ".part-pattern needs a named group (?<part>...) or (?<module>...): '" + p + "'");
                }
            }));
            source.exerciseHeadings().ifPresent(r -> check(problems,
                    () -> withKey(key + ".exercise-headings", () -> ExerciseMarking.headings(r))));
            source.exerciseSelector().ifPresent(css -> check(problems,
                    () -> withKey(key + ".exercise-selector", () -> ExerciseMarking.parse(css))));
            source.exerciseSolutions().ifPresent(css -> check(problems,
                    () -> withKey(key + ".exercise-solutions", () -> ExerciseMarking.parse(css))));
            source.directory().ifPresent(d -> {
                if (!Files.isDirectory(Path.of(d))) {
                    problems.add(key + ".directory is not a readable folder: '" + d + "'");
                }
            });
            positive(problems, key + ".max-pages", source.maxPages(), 1);
            positive(problems, key + ".max-depth", source.maxDepth(), 0);
            positive(problems, key + ".max-page-bytes", source.maxPageBytes(), 1);
            positive(problems, key + ".pdf.max-bytes", source.pdf().maxBytes(), 1);
            positive(problems, key + ".pdf.max-pages", source.pdf().maxPages(), 1);
            if (source.timeout().isNegative() || source.timeout().isZero()) {
                problems.add(key + ".timeout must be positive, got " + source.timeout());
            }
            if (source.delay().isNegative()) {
                problems.add(key + ".delay must not be negative, got " + source.delay());
            }
            if (source.userAgent().isBlank()) {
                problems.add(key + ".user-agent must not be blank");
            }
        });
        return problems;
    }

    private static void check(List<String> problems, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** Runs a check of {@code extract} (which knows no keys) and puts the key in front of its message. */
    private static void withKey(String key, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage(), e);
        }
    }

    private static void positive(List<String> problems, String key, long value, long least) {
        if (value < least) {
            problems.add(key + " must be at least " + least + ", got " + value);
        }
    }
}
