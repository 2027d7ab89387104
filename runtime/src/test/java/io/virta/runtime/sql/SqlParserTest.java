package io.virta.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Query;
import io.virta.runtime.sql.ast.SqlFormatter;
import io.virta.runtime.sql.ast.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlParserTest {

    static final java.util.List<String> ISSUE = IssueStatements.ALL;

    @Test
    void theWarmUpScriptParses() {
        // A syntax error in it would fail every node's start.
        assertThatCode(SqlParser::warmUp).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @FieldSource("ISSUE")
    void parsesEveryStatementOfTheIssue(String sql) {
        assertThat(SqlParser.parse(sql)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE STREAM pageviews (viewtime BIGINT, user_id VARCHAR KEY, page_id VARCHAR)"
                        + " WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', TIMESTAMP='viewtime');",
                "CREATE TABLE users (id STRING PRIMARY KEY, region STRING) WITH (KAFKA_TOPIC='u',"
                        + " VALUE_FORMAT='JSON', PARTITIONS=4);",
                "CREATE STREAM clicks (user_id STRING, properties STRUCT<page STRING, ms INT>,"
                        + " tags ARRAY<STRING>, attrs MAP<STRING, DOUBLE>) PARTITION BY user_id;",
                "CREATE STREAM s AS SELECT user_id, COUNT(*) FROM clicks WINDOW TUMBLING (SIZE 1"
                        + " HOUR, RETENTION 7 DAYS, GRACE PERIOD 10 MINUTES) GROUP BY user_id EMIT"
                        + " FINAL;",
                "CREATE TABLE t AS SELECT user_id, WINDOWSTART AS ws, WINDOWEND AS we, COUNT(*)"
                        + " AS c FROM clicks WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)"
                        + " WHERE properties->page LIKE '/home%' GROUP BY user_id HAVING COUNT(*) > 2"
                        + " EMIT CHANGES;",
                "CREATE STREAM s WITH (KAFKA_TOPIC='x') AS SELECT * FROM clicks c WHERE c.user_id"
                        + " IN ('a', 'b') AND NOT (tags[1] IS NULL) PARTITION BY properties->page;",
                "CREATE OR REPLACE STREAM IF NOT EXISTS s AS SELECT CAST(amount AS DECIMAL(10, 2))"
                        + " AS a, UCASE(name) || '!' AS n, CASE status WHEN 1 THEN 'x' ELSE 'y' END"
                        + " FROM p WHERE amount BETWEEN 1 AND 10 OR amount NOT BETWEEN -5 AND 5.5"
                        + " EMIT CHANGES LIMIT 10;",
                "CREATE STREAM s AS SELECT k, COUNT(DISTINCT x), EARLIEST(x), LATEST(x),"
                        + " COLLECT_SET(x), MIN(x), MAX(x), AVG(x) FROM p WINDOW SESSION (30"
                        + " SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY k;",
                "SELECT_ME_NOT",
                "INSERT INTO s (a, b) VALUES (1, 'x');",
                "DROP STREAM IF EXISTS s DELETE TOPIC;",
                "DROP TABLE t",
                "DROP EVENT_STORE e;",
                "SHOW STREAMS;",
                "LIST TABLES EXTENDED;",
                "SHOW EVENT_STORES;",
                "DESCRIBE EXTENDED clicks;",
                "describe clicks",
                "INSERT INTO big SELECT * FROM p WHERE amount > 5;",
                "CREATE STREAM s AS SELECT TUMBLING_WINDOW(5 MINUTES, GRACE PERIOD 1 MINUTE) AS w,"
                        + " k FROM p GROUP BY k EMIT FINAL;",
                "CREATE STREAM s AS SELECT k FROM p WINDOW TUMBLING (SIZE 1 MINUTE, ALLOWED"
                        + " LATENESS 30 SECONDS) GROUP BY k;"
            })
    void parsesKsqlDbForms(String sql) {
        if (sql.equals("SELECT_ME_NOT")) {
            assertThatThrownBy(() -> SqlParser.parse(sql)).isInstanceOf(SqlSyntaxException.class);
            return;
        }
        assertThat(SqlParser.parse(sql)).isNotNull();
    }

    @Test
    void windowFunctionInSelectListBecomesTheQueryWindow() {
        var s = (Statement.CreateAsSelect) SqlParser.parse(IssueStatements.SLIDING);
        Query.WindowExpr w = s.query().window();
        assertThat(w.kind()).isEqualTo(Query.WindowKind.HOPPING);
        assertThat(w.size()).isEqualTo(Duration.ofMinutes(10));
        assertThat(w.advance()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.query().select().get(0)).isInstanceOf(Query.WindowColumn.class);
        assertThat(s.query().groupBy()).isEmpty();
    }

    @Test
    void wordsThatPatternsAndJoinsMadeKeywordsStillNameColumns() {
        var s =
                (Statement.CreateAsSelect)
                        SqlParser.parse(
                                "CREATE STREAM x AS SELECT order, pattern, first, last, next, row"
                                        + " FROM p WHERE order > 1 AND pattern = 'a'");
        assertThat(s.query().select()).hasSize(6);
        assertThat(SqlParser.parse("CREATE STREAM orders (order STRING, pattern INT)")).isNotNull();
        assertThat(SqlParser.parse("SELECT * FROM t WHERE order = 'x'"))
                .isInstanceOf(Statement.Select.class);
    }

    @Test
    void connectorsKeepTheirOptionsAsWritten() {
        var c =
                (Statement.CreateConnector)
                        SqlParser.parse(
                                "CREATE SOURCE CONNECTOR IF NOT EXISTS orders_in WITH ("
                                        + " 'type' = 'kafka', 'topic' = 'orders',"
                                        + " \"security.protocol\" = 'PLAINTEXT', batch = 100)");
        assertThat(c.kind()).isEqualTo("SOURCE");
        assertThat(c.ifNotExists()).isTrue();
        assertThat(c.options())
                .containsExactly(
                        java.util.Map.entry("type", "kafka"),
                        java.util.Map.entry("topic", "orders"),
                        java.util.Map.entry("security.protocol", "PLAINTEXT"),
                        java.util.Map.entry("batch", "100"));
        var drop = (Statement.DropConnector) SqlParser.parse("DROP CONNECTOR IF EXISTS orders_in");
        assertThat(drop.name()).isEqualTo("orders_in");
        assertThat(SqlParser.parse("CREATE STREAM s (source STRING, sink INT)")).isNotNull();
    }

    @Test
    void windowClauseAfterGroupByWithGrace() {
        var s =
                (Statement.CreateAsSelect)
                        SqlParser.parse(
                                "CREATE STREAM x AS SELECT k, COUNT(*) FROM p GROUP BY k WINDOW"
                                        + " TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 MINUTES) EMIT FINAL");
        assertThat(s.query().window().grace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.query().emit()).isEqualTo(Query.EmitMode.FINAL);
    }

    @Test
    void eventStoreAndInsert() {
        var es = (Statement.CreateEventStore) SqlParser.parse(IssueStatements.EVENT_STORE);
        assertThat(es.columns()).hasSize(5);
        assertThat(es.partitionBy()).containsExactly("account_id");
        var ins = (Statement.InsertValues) SqlParser.parse(IssueStatements.INSERT);
        assertThat(ins.values()).hasSize(5);
        assertThat(ins.values().get(2)).isInstanceOf(Expression.DecimalLiteral.class);
        assertThat(ins.values().get(4)).isInstanceOf(Expression.FunctionCall.class);
    }

    @Test
    void precedenceAndCanonicalText() {
        Expression e = SqlParser.parseExpression("a + b * 2 > 3 AND NOT c OR d->e LIKE 'x%'");
        assertThat(SqlFormatter.format(e))
                .isEqualTo("((((a + (b * 2)) > 3) AND (NOT c)) OR (d->e LIKE 'x%'))");
        assertThat(SqlFormatter.format(SqlParser.parseExpression("-amount")))
                .isEqualTo("(-amount)");
    }

    @Test
    void positionsAreOneBased() {
        var s = (Statement.CreateAsSelect) SqlParser.parse(IssueStatements.BALANCES);
        var item = (Query.SingleColumn) s.query().select().get(1);
        assertThat(item.expression().pos()).isEqualTo(new Position(1, 53));
    }

    @Test
    void syntaxErrorNamesLineColumnAndExpected() {
        assertThatThrownBy(() -> SqlParser.parse("CREATE STREAM s AS\nSELECT * FORM p;"))
                .isInstanceOfSatisfying(
                        SqlSyntaxException.class,
                        e -> {
                            assertThat(e.line()).isEqualTo(2);
                            assertThat(e.column()).isEqualTo(10);
                            assertThat(e.offendingText()).isEqualTo("FORM");
                            assertThat(e.expected()).contains("'FROM'", "','");
                            assertThat(e.getMessage()).contains("line 2, column 10");
                        });
    }

    @Test
    void syntaxErrorAtEndOfInput() {
        assertThatThrownBy(() -> SqlParser.parse("SHOW"))
                .isInstanceOfSatisfying(
                        SqlSyntaxException.class,
                        e -> {
                            assertThat(e.line()).isEqualTo(1);
                            assertThat(e.column()).isEqualTo(5);
                            assertThat(e.offendingText()).isEqualTo("<EOF>");
                            assertThat(e.expected()).contains("'STREAMS'", "'TABLES'");
                        });
    }

    /**
     * A script is parsed with the same precision as one statement: the error names what the
     * statement's own rule expected, not the start of a next statement.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "SELECT * FROM s WHERE v > GROUP BY id|1|27|IDENTIFIER",
                "SELECT id,, v FROM s|1|11|IDENTIFIER",
                "SELECT id FROM s WINDOW TUMBLING (SIZE 10 PARSECS)|1|43|'SECONDS'",
                "SELECT id FROM s WHERE (v > 1|1|30|')'",
                "SELECT id FROM s WINDOW HOPPING (SIZE 10 SECONDS ADVANCE BY 5 SECONDS)|1|50|','",
            })
    void syntaxErrorsInAScriptNameWhatTheStatementExpected(
            String select, int line, int column, String expected) {
        String script = "SHOW STREAMS;\nCREATE STREAM o AS " + select + ";\nSHOW TABLES;";
        assertThatThrownBy(() -> SqlParser.parseAll(script))
                .isInstanceOfSatisfying(
                        SqlSyntaxException.class,
                        e -> {
                            assertThat(e.line()).isEqualTo(line + 1);
                            assertThat(e.column())
                                    .isEqualTo(column + "CREATE STREAM o AS ".length());
                            assertThat(e.expected()).contains(expected);
                            assertThat(e.expected()).doesNotContain("'CREATE'", "'SIZE'");
                        });
    }

    @Test
    void hoppingAdvanceWithOrWithoutByAndTheWindowAfterFromOrGroupBy() {
        for (String sql :
                List.of(
                        "CREATE STREAM o AS SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 10"
                                + " SECONDS, ADVANCE 5 SECONDS) GROUP BY k",
                        "CREATE STREAM o AS SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 10"
                                + " SECONDS, ADVANCE BY 5 SECONDS) WHERE k <> 'x' GROUP BY k",
                        "CREATE STREAM o AS SELECT k, COUNT(*) FROM s WHERE k <> 'x' GROUP BY k"
                                + " WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS,"
                                + " GRACE PERIOD 1 SECOND)")) {
            var s = (Statement.CreateAsSelect) SqlParser.parse(sql);
            assertThat(s.query().window().advance()).as(sql).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void unexpectedCharacterIsASyntaxError() {
        assertThatThrownBy(() -> SqlParser.parse("SHOW STREAMS $"))
                .isInstanceOfSatisfying(
                        SqlSyntaxException.class, e -> assertThat(e.column()).isEqualTo(14));
    }

    @Test
    void scriptOfStatements() {
        assertThat(SqlParser.parseAll(String.join("\n", IssueStatements.ALL))).hasSize(8);
    }
}
