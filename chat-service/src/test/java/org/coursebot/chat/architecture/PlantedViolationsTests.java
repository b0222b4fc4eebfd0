package org.coursebot.chat.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.coursebot.testing.ServiceArchitectureTests;
import org.coursebot.testing.ServiceConfigurationDocsTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests both services run from test-support fail, and say where: {@link ArchitectureTests}' on wrong imports
 * planted in test classes ({@code planted}), {@link ConfigurationDocsTests}' on a key taken out of the page. A check
 * that never fails would prove nothing.
 */
class PlantedViolationsTests {

    static final String PLANTED = "org.coursebot.chat.architecture.planted";
    static final JavaClasses CLASSES = new ClassFileImporter().importPackages(PLANTED);

    /** The architecture tests as chat-service runs them, over the planted classes. */
    static final ServiceArchitectureTests ON_PLANTED = new ServiceArchitectureTests(PLANTED, CLASSES) {
    };

    @Test
    void aCycleBetweenTwoFeaturesFailsNamingBoth() {
        assertThatThrownBy(ON_PLANTED::featuresDependOnEachOtherOneWay).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("feature 'answer'", "feature 'log'", "PlantedChatService",
                        "PlantedQuestionLog");
    }

    @Test
    void aResourceHoldingARepositoryFails() {
        assertThatThrownBy(ON_PLANTED::resourcesCallServices).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("PlantedResource", "PlantedLogRepository");
    }

    @Test
    void aFeatureUsingAnotherFeaturesRepositoryFailsNamingBoth() {
        assertThatThrownBy(ON_PLANTED::repositoriesStayInTheirFeature).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("feature 'answer' uses feature 'log''s repository", "PlantedReport.logRows",
                        "PlantedLogRepository");
    }

    @Test
    void sqlSentOutsideARepositoryFails() {
        assertThatThrownBy(ON_PLANTED::sqlIsSentFromRepositoriesAlone).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("PlantedQuestionLog.record", "preparedQuery");
    }

    @Test
    void aKeyMissingFromTheConfigurationPageFailsNamingIt(@TempDir Path dir) throws IOException {
        // The key's line goes, and with it every way of naming it (its environment variable too).
        Path page = Files.write(dir.resolve("configuration.md"), Files.readAllLines(Path.of("../docs/configuration.md"))
                .stream().filter(line -> !line.matches("(?i).*space.poll.interval.*")).toList());
        ServiceConfigurationDocsTests withoutIt = new ServiceConfigurationDocsTests(ConfigurationDocsTests.PACKAGES,
                page, "coursebot.search.space-poll-interval") {
        };
        assertThatThrownBy(withoutIt::everyConfigurationKeyIsDocumented).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("does not mention", "coursebot.search.space-poll-interval");
    }
}
