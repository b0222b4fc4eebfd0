package org.coursebot.ingest.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.coursebot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * ingest-service's structure (issue 30), by the rules both services keep (ArchitectureRules; chat-service's
 * PlantedViolationsTests shows them fail on planted wrong imports). Plain JUnit tests: surefire 3.5.3 skips
 * {@code @ArchTest} fields (TNG/ArchUnit#1442).
 */
class ArchitectureTests {

    static final JavaClasses INGEST_SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.coursebot.ingest");

    @Test
    void featuresDependOnEachOtherOneWay() {
        ArchitectureRules.featuresDependOneWay("org.coursebot.ingest").check(INGEST_SERVICE);
    }

    @Test
    void resourcesCallServices() {
        ArchitectureRules.resourcesCallServices().check(INGEST_SERVICE);
    }

    @Test
    void sqlIsSentFromRepositoriesAlone() {
        ArchitectureRules.sqlInRepositories().check(INGEST_SERVICE);
    }
}
