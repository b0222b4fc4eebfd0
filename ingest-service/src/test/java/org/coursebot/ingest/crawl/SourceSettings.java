package org.coursebot.ingest.crawl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.coursebot.ingest.crawl.SourcesConfig.Pdf;
import org.coursebot.ingest.crawl.SourcesConfig.Source;

/** A {@link Source} built in code for tests, starting from the configuration defaults. */
public record SourceSettings(String baseUrl, Optional<String> directory, Optional<List<String>> include,
        Optional<List<String>> exclude, int maxPages, int maxDepth, Duration delay, String userAgent, Duration timeout,
        long maxPageBytes, Optional<String> partPattern, boolean allowPrivateNetwork, Optional<String> schedule,
        Optional<String> mainSelector, Pdf pdf, ExercisePolicy exercises, Optional<String> exerciseHeadings,
        Optional<String> exerciseSelector, Optional<String> exerciseSolutions) implements Source {

    /** {@code coursebot.sources."<name>".pdf.*} built in code. */
    public record PdfSettings(boolean enabled, long maxBytes, int maxPages) implements SourcesConfig.Pdf {

        /** The configuration defaults: on, 25 MB, 300 pages. */
        public static final PdfSettings DEFAULTS = new PdfSettings(true, 25L * 1024 * 1024, 300);
    }

    /** A site with the defaults, except no politeness delay and private addresses allowed (test servers). */
    public static SourceSettings site(String baseUrl) {
        return new SourceSettings(baseUrl, Optional.empty(), Optional.empty(), Optional.empty(), 2000, 10,
                Duration.ZERO, "CoursebotCrawler/1.0 (+https://github.com/coursebot)", Duration.ofSeconds(10),
                5L * 1024 * 1024, Optional.empty(), true, Optional.empty(), Optional.empty(), PdfSettings.DEFAULTS,
                ExercisePolicy.GUIDE, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public SourceSettings withDirectory(String folder) {
        return new SourceSettings(baseUrl, Optional.of(folder), include, exclude, maxPages, maxDepth, delay, userAgent,
                timeout, maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withPatterns(List<String> includes, List<String> excludes) {
        return new SourceSettings(baseUrl, directory, Optional.of(includes), Optional.of(excludes), maxPages, maxDepth,
                delay, userAgent, timeout, maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withLimits(int pages, int depth) {
        return new SourceSettings(baseUrl, directory, include, exclude, pages, depth, delay, userAgent, timeout,
                maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withDelay(Duration politeness) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, politeness, userAgent,
                timeout, maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withTimeout(Duration requestTimeout, long pageBytes) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent,
                requestTimeout, pageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withPrivateNetwork(boolean allowed) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent, timeout,
                maxPageBytes, partPattern, allowed, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withPartPattern(String regex) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent, timeout,
                maxPageBytes, Optional.of(regex), allowPrivateNetwork, schedule, mainSelector, pdf,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withPdf(PdfSettings settings) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent, timeout,
                maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, settings,
                exercises, exerciseHeadings, exerciseSelector, exerciseSolutions);
    }

    public SourceSettings withExercises(ExercisePolicy policy, String headings, String selector) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent, timeout,
                maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf, policy,
                Optional.ofNullable(headings), Optional.ofNullable(selector), exerciseSolutions);
    }

    public SourceSettings withExerciseSolutions(String selector) {
        return new SourceSettings(baseUrl, directory, include, exclude, maxPages, maxDepth, delay, userAgent, timeout,
                maxPageBytes, partPattern, allowPrivateNetwork, schedule, mainSelector, pdf, exercises,
                exerciseHeadings, exerciseSelector, Optional.ofNullable(selector));
    }
}
