package org.coursebot.ingest.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.coursebot.testing.SiteGenerator;

/**
 * A generated course site in a temporary folder, configured as the directory source {@code site}, with an
 * admin token. Injects the folder into a test field of type {@link Path}.
 */
public class CourseSiteResource implements QuarkusTestResourceLifecycleManager {

    static final int PAGES = 24;
    static final long SEED = 7;
    static final String BASE = "https://course.example.org/";
    static final String TOKEN = "test-admin-token";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("coursebot-site");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SiteGenerator.generate(dir, PAGES, SEED);
        return Map.of("coursebot.sources.site.directory", dir.toString(),
                "coursebot.sources.site.base-url", BASE,
                "coursebot.sources.site.part-pattern", "/part(?<part>\\d+)/(?<module>[a-z])/",
                "coursebot.admin.token", TOKEN,
                // One page per embedding request, so a failing request fails exactly one page.
                "coursebot.ingest.page-group-size", "1",
                "coursebot.embedding.retry.max-attempts", "1");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(dir, new TestInjector.MatchesType(Path.class));
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
