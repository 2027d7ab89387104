package io.virta.runtime.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The runtime stays pure: no Pekko, and public packages do not lean on internal ones. */
class ArchitectureTest {

    static final JavaClasses RUNTIME =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.virta.runtime");

    @Test
    void runtimeDoesNotDependOnPekko() {
        noClasses()
                .that()
                .resideInAPackage("io.virta.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.pekko..", "akka..", "scala..")
                .check(RUNTIME);
    }

    @Test
    void publicApiDoesNotDependOnTheSqlGrammarInternals() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.virta.runtime.sql.ast..",
                        "io.virta.runtime.types..",
                        "io.virta.runtime.operator",
                        "io.virta.runtime.operator.state..",
                        "io.virta.runtime.window..",
                        "io.virta.runtime.time..",
                        "io.virta.runtime.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..internal..", "org.antlr..")
                .check(RUNTIME);
    }

    @Test
    void operatorsNeverReadAClock() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.virta.runtime.operator..",
                        "io.virta.runtime.window..",
                        "io.virta.runtime.time..",
                        "io.virta.runtime.plan..")
                .should()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .check(RUNTIME);
    }
}
