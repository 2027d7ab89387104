package io.virta.connectors.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The connectors use only public packages of the modules below them, never the gateway, and keep
 * the dev services out of the connector code itself.
 */
class ConnectorsArchitectureTest {
    private static final JavaClasses VIRTA =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.virta");

    @Test
    void dependsNotOnTheGateway() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.connectors..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.virta.gateway..")
                .check(VIRTA);
    }

    @Test
    void usesNoInternalsOfOtherModules() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.connectors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.virta.runtime..internal..", "io.virta.actors.internal..")
                .check(VIRTA);
    }

    /** Only the dev services themselves start brokers; connectors take bootstrap servers. */
    @Test
    void devServicesStayOffTheConnectors() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.connectors..")
                .and()
                .resideOutsideOfPackage("io.virta.connectors.devservices..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.virta.connectors.devservices..", "io.virta.actors.devservices..")
                // Holds before any connector code exists, and must keep holding after.
                .allowEmptyShould(true)
                .check(VIRTA);
    }
}
