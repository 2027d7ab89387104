package io.virta.actors.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The actors module uses only the runtime's public packages, and never the gateway. */
class ActorsArchitectureTest {
    private static final JavaClasses VIRTA =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.virta");

    @Test
    void usesNoRuntimeInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.actors..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.virta.runtime..internal..")
                .check(VIRTA);
    }

    @Test
    void dependsNotOnTheGateway() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.actors..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.virta.gateway..")
                .check(VIRTA);
    }

    @Test
    void devServicesStayOffTheEntities() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.actors.internal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.virta.actors.devservices..")
                .check(VIRTA);
    }
}
