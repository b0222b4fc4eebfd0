package org.coursebot.ingest.architecture;

import org.coursebot.testing.ServiceArchitectureTests;

/**
 * ingest-service's structure (issue 30), by the rules both services keep ({@link ServiceArchitectureTests});
 * chat-service's PlantedViolationsTests shows they fail on planted wrong imports.
 */
class ArchitectureTests extends ServiceArchitectureTests {

    ArchitectureTests() {
        super("org.coursebot.ingest", "store");
    }
}
