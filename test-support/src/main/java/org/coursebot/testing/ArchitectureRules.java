package org.coursebot.testing;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The structure both services keep (issue 30), checked by each one's ArchitectureTests: feature packages depend on
 * each other one way, resources reach the database only through services, SQL is sent from repositories alone. A
 * broken rule fails with the classes, members and lines that broke it.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The packages right under {@code root} (one per feature) form no cycle. */
    public static ArchRule featuresDependOneWay(String root) {
        return slices().matching(root + ".(*)..").namingSlices("feature '$1'").should().beFreeOfCycles()
                .because("a feature calls into another one way; a cycle means an idea lives in two homes");
    }

    /** A resource (by annotation or by name) holds no repository and no pool: it asks a service. */
    public static ArchRule resourcesCallServices() {
        return noClasses()
                .that().areAnnotatedWith("jakarta.ws.rs.Path").or().haveSimpleNameEndingWith("Resource")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.mutiny.sqlclient.Pool")
                .because("resources stay thin: they ask a service, which owns the feature's rules");
    }

    /**
     * Only a class named ...Repository sends a statement through the reactive client ({@code query},
     * {@code preparedQuery}) or JDBC ({@code prepareStatement}, {@code createStatement}, {@code prepareCall}).
     */
    public static ArchRule sqlInRepositories() {
        return noClasses().that().haveSimpleNameNotEndingWith("Repository")
                .should().callMethodWhere(target(nameMatching("preparedQuery|query"))
                        .and(target(owner(resideInAPackage("io.vertx..sqlclient..")))))
                .orShould().callMethodWhere(target(nameMatching("prepareStatement|createStatement|prepareCall"))
                        .and(target(owner(resideInAPackage("java.sql..")))))
                .because("SQL lives in one place per feature, its repository");
    }
}
