package org.coursebot.chat.architecture;

import java.util.List;

import org.coursebot.testing.ServiceConfigurationDocsTests;

/**
 * Every key of chat-service's {@code @ConfigMapping}s (its own, and the embedding and common modules' it runs with) is
 * in docs/configuration.md.
 */
class ConfigurationDocsTests extends ServiceConfigurationDocsTests {

    static final List<String> PACKAGES = List.of("org.coursebot.chat", "org.coursebot.embedding",
            "org.coursebot.common");

    ConfigurationDocsTests() {
        super(PACKAGES, "coursebot.answer.condense.model", "coursebot.search.space-poll-interval");
    }
}
