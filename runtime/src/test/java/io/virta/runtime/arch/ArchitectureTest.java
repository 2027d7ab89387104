package io.virta.runtime.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
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

    /** Every package of the pure runtime (not {@code stream}, the ingest side). */
    static final String[] PURE =
            List.of("operator", "window", "time", "plan", "sql", "types", "testkit", "cep", "join")
                    .stream()
                    .map(p -> "io.virta.runtime." + p + "..")
                    .toArray(String[]::new);

    /**
     * No class in these packages reads a clock: {@code System.currentTimeMillis/nanoTime}, any
     * {@code java.time} {@code now(...)}, {@code Clock.system*}/{@code Clock.tick*}, or {@code new
     * Date()}. Time reaches operators only as an argument.
     */
    static ArchRule noClockReads(String... packages) {
        DescribedPredicate<JavaCall<?>> readsClock =
                DescribedPredicate.describe(
                        "reads a clock",
                        call -> {
                            String owner = call.getTargetOwner().getName();
                            String name = call.getName();
                            int params = call.getTarget().getRawParameterTypes().size();
                            return owner.equals("java.lang.System")
                                            && (name.equals("currentTimeMillis")
                                                    || name.equals("nanoTime"))
                                    || owner.startsWith("java.time.") && name.equals("now")
                                    || owner.equals("java.time.Clock")
                                            && (name.startsWith("system")
                                                    || name.startsWith("tick"))
                                    || owner.equals("java.util.Date")
                                            && name.equals("<init>")
                                            && params == 0;
                        });
        return noClasses()
                .that()
                .resideInAnyPackage(packages)
                .should()
                .callCodeUnitWhere(readsClock)
                .because("operators are pure: time is an input the host advances");
    }

    @Test
    void operatorsNeverReadAClock() {
        noClockReads(PURE).check(RUNTIME);
    }

    @Test
    void theClockRuleCatchesEveryWayOfReadingAClock() {
        JavaClasses fixtures =
                new ClassFileImporter().importClasses(ClockReaders.class.getNestMembers());
        for (Class<?> c : ClockReaders.class.getNestMembers()) {
            if (c == ClockReaders.class) {
                continue;
            }
            JavaClasses one = new ClassFileImporter().importClasses(c);
            assertThatThrownBy(() -> noClockReads("io.virta.runtime.arch..").check(one))
                    .as(c.getSimpleName())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(c.getSimpleName());
        }
        assertThat(fixtures.size()).isGreaterThan(5);
    }
}
