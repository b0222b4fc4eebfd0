package org.coursebot.testing;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A service's structure (issue 30) by {@link ArchitectureRules}: its feature packages depend on each other one way,
 * resources reach the database only through services, and SQL is written in repositories alone. A service's
 * ArchitectureTests extends this and names its package; a wrong import then fails that service's build with the
 * classes and the line that broke the rule. Plain JUnit tests: surefire 3.5.3 skips {@code @ArchTest} fields
 * (TNG/ArchUnit#1442). One instance per class, so the classes are read once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceArchitectureTests {

    private final String root;
    private final Set<String> sharedDataLayers;
    private final JavaClasses classes;

    /**
     * The main classes under {@code root}, the service's package ({@code org.coursebot.chat}); tests left out.
     * {@code sharedDataLayers}: packages under root whose repositories every feature may use.
     */
    protected ServiceArchitectureTests(String root, String... sharedDataLayers) {
        this(root, new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root), sharedDataLayers);
    }

    /** {@code classes} checked as the features under {@code root}: how planted wrong imports are shown to fail. */
    protected ServiceArchitectureTests(String root, JavaClasses classes, String... sharedDataLayers) {
        this.root = root;
        this.sharedDataLayers = Set.of(sharedDataLayers);
        this.classes = classes;
    }

    /** Feature packages (answer, search, space, insights...) form no cycle: each depends on others one way. */
    @Test
    public void featuresDependOnEachOtherOneWay() {
        ArchitectureRules.featuresDependOneWay(root).check(classes);
    }

    /** A resource asks a service; it never holds a repository or a pool. */
    @Test
    public void resourcesCallServices() {
        ArchitectureRules.resourcesCallServices().check(classes);
    }

    /** A feature's repositories are its own: another feature asks its service. */
    @Test
    public void repositoriesStayInTheirFeature() {
        ArchitectureRules.repositoriesStayInTheirFeature(root, sharedDataLayers).check(classes);
    }

    /** SQL is sent from repositories alone: one place per feature to read its statements. */
    @Test
    public void sqlIsSentFromRepositoriesAlone() {
        ArchitectureRules.sqlInRepositories().check(classes);
    }
}
