package io.virta.runtime.plan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.testkit.PipelineTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Type errors are caught at planning time, at the exact line and column. */
class PlannerErrorTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT k, SUM(name) AS s FROM p GROUP BY k|1|15|SUM needs a numeric argument",
                "SELECT * FROM p WHERE amout > 1|1|23|unknown column 'amout'",
                "SELECT FOO(k) FROM p|1|8|unknown function FOO",
                "SELECT * FROM nope|1|15|unknown stream or table 'nope'",
                "SELECT k, name, COUNT(*) FROM p GROUP BY k|1|11|must appear in GROUP BY",
                "SELECT * FROM p WHERE COUNT(*) > 1|1|23|not allowed in WHERE",
                "SELECT * FROM p WHERE amount|1|23|WHERE must be a BOOLEAN",
                "SELECT * FROM p WHERE name > 3|1|28|cannot compare STRING with INT",
                "SELECT props->nope FROM p|1|15|unknown field 'nope'",
                "SELECT k, COUNT(*) FROM p GROUP BY k EMIT FINAL|1|1|EMIT FINAL needs a windowed",
                "SELECT amount + name FROM p|1|17|needs a numeric operand",
                "SELECT UCASE(amount) FROM p|1|14|UCASE does not accept DOUBLE",
                "SELECT * FROM p EMIT CHANGES LIMIT 10|1|30|LIMIT is not supported",
                "SELECT k, AVG(name) FROM p GROUP BY k|1|15|AVG needs a numeric argument"
            })
    void reportsPreciseTypeErrors(String select, int line, int column, String message) {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM p (k STRING KEY, name STRING, amount DOUBLE, props STRUCT<page"
                        + " STRING>)");
        String sql = "CREATE STREAM out AS\n" + select;
        assertThatThrownBy(() -> d.execute(sql))
                .isInstanceOfSatisfying(
                        SqlPlanningException.class,
                        e -> {
                            org.assertj.core.api.Assertions.assertThat(e.position())
                                    .isEqualTo(new Position(line + 1, column));
                            org.assertj.core.api.Assertions.assertThat(e.getMessage())
                                    .contains(message);
                        });
    }
}
