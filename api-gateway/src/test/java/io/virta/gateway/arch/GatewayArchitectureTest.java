package io.virta.gateway.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway talks to the actors and the runtime through their public packages only. */
class GatewayArchitectureTest {
    private static final JavaClasses VIRTA =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.virta");

    @Test
    void usesNoInternalsOfOtherModules() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.gateway..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.virta.actors.internal..", "io.virta.runtime..internal..")
                .check(VIRTA);
    }

    @Test
    void touchesNoEntityOrPersistenceApiDirectly() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.gateway..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.pekko.persistence..", "org.apache.pekko.cluster.sharding..")
                .check(VIRTA);
    }
}
