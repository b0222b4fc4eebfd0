package org.coursebot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every key of a service's {@code @ConfigMapping}s is in docs/configuration.md ({@link ConfigKeys} names them as
 * SmallRye does). A service's ConfigurationDocsTests extends this and names the packages it runs with and a few keys
 * they must yield, the proof that the mappings were read at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceConfigurationDocsTests {

    /** The page, from a service module's directory (where surefire runs). */
    private static final Path CONFIGURATION_DOC = Path.of("../docs/configuration.md");

    private final List<String> packages;
    private final Path doc;
    private final List<String> expectedKeys;

    /** The mappings among the main classes of {@code packages}, checked against docs/configuration.md. */
    protected ServiceConfigurationDocsTests(List<String> packages, String... expectedKeys) {
        this(packages, CONFIGURATION_DOC, expectedKeys);
    }

    /** The same against another page: how a key missing from the page is shown to fail. */
    protected ServiceConfigurationDocsTests(List<String> packages, Path doc, String... expectedKeys) {
        this.packages = List.copyOf(packages);
        this.doc = doc;
        this.expectedKeys = List.of(expectedKeys);
    }

    @Test
    public void everyConfigurationKeyIsDocumented() throws IOException {
        List<Class<?>> mappings = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packages).stream()
                .filter(c -> c.isAnnotatedWith("io.smallrye.config.ConfigMapping")).map(JavaClass::reflect)
                .<Class<?>>map(c -> c).toList();
        SortedSet<String> keys = ConfigKeys.of(mappings);
        assertTrue(keys.containsAll(expectedKeys),
                () -> "the mappings of " + packages + " were not read: " + expectedKeys + " not among " + keys);
        assertEquals(List.of(), ConfigKeys.undocumented(keys, doc),
                () -> "keys of the @ConfigMappings that " + doc + " does not mention");
    }
}
