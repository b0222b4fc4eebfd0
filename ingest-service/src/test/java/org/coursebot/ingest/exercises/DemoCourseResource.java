package org.coursebot.ingest.exercises;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The sample course deploy/demo-course as the directory source {@code demo} (policy left at its default), and a
 * course {@code labs} that is configured with {@code exercises=open} but never ingested; an admin token.
 */
public class DemoCourseResource implements QuarkusTestResourceLifecycleManager {

    static final String BASE = "https://demo.example.org/";
    static final String TOKEN = "test-admin-token";

    @Override
    public Map<String, String> start() {
        return Map.of("coursebot.sources.demo.directory", Path.of("../deploy/demo-course").toAbsolutePath().normalize().toString(),
                "coursebot.sources.demo.base-url", BASE,
                "coursebot.sources.labs.base-url", "https://labs.example.org/",
                "coursebot.sources.labs.exercises", "open",
                "coursebot.sources.labs.exercise-headings", "^Lab \\d+",
                "coursebot.admin.token", TOKEN);
    }

    @Override
    public void stop() {
    }
}
