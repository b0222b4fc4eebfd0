package org.coursebot.ingest.architecture;

import java.util.List;

import org.coursebot.testing.ServiceConfigurationDocsTests;

/**
 * Every key of ingest-service's {@code @ConfigMapping}s (its own, and the embedding and common modules' it runs
 * with) is in docs/configuration.md.
 */
class ConfigurationDocsTests extends ServiceConfigurationDocsTests {

    ConfigurationDocsTests() {
        super(List.of("org.coursebot.ingest", "org.coursebot.embedding", "org.coursebot.common"),
                "coursebot.ingest.chunk-tokens", "coursebot.spaces.chat-url");
    }
}
