package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.sql.SqlPlanningException;
import org.junit.jupiter.api.Test;

/** Each kind of expression of the dialect, evaluated through the driver. */
class ExpressionsDriverTest {

    private static JsonNode eval(String select, String json) {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY, v INT, w INT, name STRING, ts BIGINT,"
                        + " j STRUCT<a STRUCT<b STRING>>);");
        d.execute("CREATE STREAM o AS SELECT " + select + " FROM s;");
        d.pipe("s", 1, json);
        return d.values("o").get(0);
    }

    private static final String ROW =
            "{\"id\":\"a\",\"v\":7,\"name\":\"hello\",\"ts\":86400000,\"j\":{\"a\":{\"b\":\"deep\"}}}";

    @Test
    void arithmeticWithPrecedenceIntegerDivisionAndNullOnDivisionByZero() {
        assertThat(eval("v % 3 AS m, v / 2 AS d, -v * 2 + 3 AS p, 10 / 0 AS z, v * 1.5 AS f", ROW))
                .hasToString("{\"m\":1,\"d\":3,\"p\":-11,\"z\":null,\"f\":10.5}");
    }

    @Test
    void comparisonsAndThreeValuedLogic() {
        assertThat(
                        eval(
                                "v >= 7 AS ge, v <> 7 AS ne, w > 1 AS u, w > 1 OR TRUE AS o,"
                                        + " w > 1 AND FALSE AS a, NOT (w > 1) AS n",
                                ROW))
                .hasToString(
                        "{\"ge\":true,\"ne\":false,\"u\":null,\"o\":true,\"a\":false,\"n\":null}");
    }

    @Test
    void inBetweenLikeAndIsNull() {
        assertThat(
                        eval(
                                "v IN (1, 7) AS i, v NOT IN (1, 2) AS ni, v BETWEEN 7 AND 8 AS b, v"
                                        + " NOT BETWEEN 1 AND 2 AS nb, name LIKE 'h_l%' AS l, name"
                                        + " NOT LIKE 'h%' AS nl, w IS NULL AS wn, v IS NOT NULL AS"
                                        + " vn",
                                ROW))
                .hasToString(
                        "{\"i\":true,\"ni\":true,\"b\":true,\"nb\":true,\"l\":true,\"nl\":false,"
                                + "\"wn\":true,\"vn\":true}");
    }

    @Test
    void caseAndCast() {
        assertThat(
                        eval(
                                "CASE v WHEN 7 THEN 'seven' ELSE 'other' END AS s, CASE WHEN v > 10"
                                        + " THEN 'big' END AS c, CAST('12' AS INT) + 1 AS ci, CAST(v"
                                        + " AS DOUBLE) AS cd, CAST(v AS STRING) AS cs",
                                ROW))
                .hasToString("{\"s\":\"seven\",\"c\":null,\"ci\":13,\"cd\":7.0,\"cs\":\"7\"}");
    }

    @Test
    void stringFunctions() {
        assertThat(
                        eval(
                                "LENGTH(name) AS ln, SUBSTRING(name, 2, 3) AS sb, UCASE(name) AS"
                                        + " uc, TRIM('  x ') AS tr, REPLACE(name, 'l', 'L') AS rp,"
                                        + " CONCAT(name, '-', id) AS cc, name || '!' AS bang",
                                ROW))
                .hasToString(
                        "{\"ln\":5,\"sb\":\"ell\",\"uc\":\"HELLO\",\"tr\":\"x\",\"rp\":\"heLLo\","
                                + "\"cc\":\"hello-a\",\"bang\":\"hello!\"}");
    }

    @Test
    void mathFunctions() {
        assertThat(
                        eval(
                                "ABS(-v) AS ab, CEIL(v / 3.0) AS c, FLOOR(2.5) AS f, ROUND(2.567, 2)"
                                        + " AS r, SQRT(16) AS sq, POWER(2, 3) AS pw",
                                ROW))
                .hasToString("{\"ab\":7,\"c\":3.0,\"f\":2.0,\"r\":2.57,\"sq\":4.0,\"pw\":8.0}");
    }

    @Test
    void timeFunctionsUseTheDriversProcessingTimeNeverAClock() {
        assertThat(
                        eval(
                                "TIMESTAMPTOSTRING(ts, 'yyyy-MM-dd HH:mm', 'UTC') AS tss,"
                                        + " STRINGTOTIMESTAMP('1970-01-01 00:00:01', 'yyyy-MM-dd"
                                        + " HH:mm:ss', 'UTC') AS st, NOW() AS nw, UNIX_TIMESTAMP()"
                                        + " AS ut",
                                ROW))
                .hasToString("{\"tss\":\"1970-01-02 00:00\",\"st\":1000,\"nw\":0,\"ut\":0}");
    }

    @Test
    void nestedJsonFields() {
        assertThat(eval("j->a->b AS ab, j->a AS a", ROW))
                .hasToString("{\"ab\":\"deep\",\"a\":{\"b\":\"deep\"}}");
        assertThat(eval("j->a->b AS ab", "{\"id\":\"a\"}")).hasToString("{\"ab\":null}");
    }

    @Test
    void windowStartAndEndOnlyInWindowedAggregations() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY); CREATE TABLE o AS SELECT id, WINDOWSTART AS ws,"
                        + " WINDOWEND AS we, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE)"
                        + " GROUP BY id HAVING WINDOWEND > 0;");
        d.pipe("s", 61_000, "{\"id\":\"a\"}");
        assertThat(d.values("o").get(0))
                .hasToString("{\"id\":\"a\",\"ws\":60000,\"we\":120000,\"n\":1}");
        assertThatThrownBy(
                        () -> d.execute("CREATE STREAM x AS SELECT id, WINDOWSTART AS ws FROM s;"))
                .isInstanceOf(SqlPlanningException.class)
                .hasMessageContaining("WINDOWSTART is only allowed");
    }
}
