package org.coursebot.chat.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.coursebot.testing.ConfigKeys;
import org.junit.jupiter.api.Test;

/**
 * Every key of chat-service's {@code @ConfigMapping}s (its own, and the embedding and common modules' it runs
 * with) is in docs/configuration.md.
 */
class ConfigurationDocsTests {

    @Test
    void everyConfigurationKeyIsDocumented() throws Exception {
        List<Class<?>> mappings = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.coursebot.chat", "org.coursebot.embedding", "org.coursebot.common").stream()
                .filter(c -> c.isAnnotatedWith("io.smallrye.config.ConfigMapping")).map(JavaClass::reflect)
                .<Class<?>>map(c -> c).toList();
        SortedSet<String> keys = ConfigKeys.of(mappings);
        assertThat(keys).as("the mappings were read").contains("coursebot.answer.condense.model",
                "coursebot.search.space-poll-interval");
        assertThat(ConfigKeys.undocumented(keys, Path.of("../docs/configuration.md")))
                .as("keys of the @ConfigMappings that docs/configuration.md does not mention").isEmpty();
    }
}
