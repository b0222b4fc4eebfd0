package org.coursebot.chat.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.coursebot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * chat-service's structure (issue 30): its feature packages depend on each other one way, resources reach the
 * database only through services, and SQL is written in repositories alone. A wrong import fails the build here with
 * the classes and the line that broke the rule ({@link PlantedViolationsTests} shows the rules do fail). Plain JUnit
 * tests: surefire 3.5.3 skips {@code @ArchTest} fields (TNG/ArchUnit#1442).
 */
class ArchitectureTests {

    static final JavaClasses CHAT_SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.coursebot.chat");

    /** Feature packages (answer, search, space, insights...) form no cycle: each depends on others one way. */
    @Test
    void featuresDependOnEachOtherOneWay() {
        ArchitectureRules.featuresDependOneWay("org.coursebot.chat").check(CHAT_SERVICE);
    }

    /** A resource asks a service; it never holds a repository or a pool. */
    @Test
    void resourcesCallServices() {
        ArchitectureRules.resourcesCallServices().check(CHAT_SERVICE);
    }

    /** SQL is sent from repositories alone: one place per feature to read its statements. */
    @Test
    void sqlIsSentFromRepositoriesAlone() {
        ArchitectureRules.sqlInRepositories().check(CHAT_SERVICE);
    }
}
