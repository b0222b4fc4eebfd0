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
 * A course of one generated page, the directory source {@code course}, under a run cost ceiling of $1.00 at $100 per
 * million tokens (a generated page is about a thousand tokens, some $0.10): a test grows the course past the ceiling
 * with {@link SiteGenerator#generate}. Injects the folder into a test field of type {@link Path}.
 */
public class CostCeilingSiteResource implements QuarkusTestResourceLifecycleManager {

    static final long SEED = 17;
    static final String BASE = "https://ceiling.example.org/";
    static final String TOKEN = "test-admin-token";
    static final String CEILING = "1.00";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("coursebot-ceiling");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SiteGenerator.generate(dir, 1, SEED);
        return Map.of("coursebot.sources.course.directory", dir.toString(),
                "coursebot.sources.course.base-url", BASE,
                "coursebot.admin.token", TOKEN,
                "coursebot.embedding.price-per-million-tokens", "100",
                "coursebot.ingest.max-run-cost", CEILING);
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
