package org.coursebot.chat.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.coursebot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ArchitectureTests} fail on wrong imports planted in test classes ({@code planted}), and say
 * where: a rule that never fails would prove nothing.
 */
class PlantedViolationsTests {

    static final String PLANTED = "org.coursebot.chat.architecture.planted";
    static final JavaClasses CLASSES = new ClassFileImporter().importPackages(PLANTED);

    @Test
    void aCycleBetweenTwoFeaturesFailsNamingBoth() {
        EvaluationResult result = ArchitectureRules.featuresDependOneWay(PLANTED).evaluate(CLASSES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("feature 'answer'", "feature 'log'", "PlantedChatService", "PlantedQuestionLog");
    }

    @Test
    void aResourceHoldingARepositoryFails() {
        EvaluationResult result = ArchitectureRules.resourcesCallServices().evaluate(CLASSES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("PlantedResource", "PlantedLogRepository");
    }

    @Test
    void sqlSentOutsideARepositoryFails() {
        EvaluationResult result = ArchitectureRules.sqlInRepositories().evaluate(CLASSES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("PlantedQuestionLog.record", "preparedQuery");
    }
}
