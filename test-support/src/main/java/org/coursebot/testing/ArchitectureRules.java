package org.coursebot.testing;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Set;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

/**
 * The structure both services keep (issue 30), checked by each one's ArchitectureTests: feature packages depend on
 * each other one way, resources reach the database only through services, SQL is sent from repositories alone, and a
 * feature's repositories are its own. A broken rule fails with the classes, members and lines that broke it.
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

    /**
     * A feature's repositories are its internals: another feature asks that feature's services, never its SQL. The
     * {@code shared} packages under {@code root} are data layers every feature may use (ingest-service's
     * {@code store}, the schema's owner).
     */
    public static ArchRule repositoriesStayInTheirFeature(String root, Set<String> shared) {
        return ArchRuleDefinition.classes().that().resideInAPackage(root + "..")
                .should(new ArchCondition<JavaClass>("use only their own feature's repositories") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        String home = feature(root, origin);
                        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                            JavaClass target = d.getTargetClass();
                            String theirs = feature(root, target);
                            if (target.getSimpleName().endsWith("Repository") && theirs != null
                                    && !theirs.equals(home) && !shared.contains(theirs)) {
                                events.add(SimpleConditionEvent.violated(origin, "feature '" + home
                                        + "' uses feature '" + theirs + "''s repository: " + d.getDescription()));
                            }
                        }
                    }
                })
                .because("a feature's SQL is its own; another feature asks its service, so that the SQL can change"
                        + " in one home");
    }

    /** The package right under {@code root} a class lives in, or null outside root. */
    private static String feature(String root, JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith(root + ".")) {
            return null;
        }
        String rest = name.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
