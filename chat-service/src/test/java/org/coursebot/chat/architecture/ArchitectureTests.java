package org.coursebot.chat.architecture;

import org.coursebot.testing.ServiceArchitectureTests;

/**
 * chat-service's structure (issue 30), by the rules both services keep ({@link ServiceArchitectureTests});
 * {@link PlantedViolationsTests} shows they fail on planted wrong imports.
 */
class ArchitectureTests extends ServiceArchitectureTests {

    ArchitectureTests() {
        super("org.coursebot.chat");
    }
}
