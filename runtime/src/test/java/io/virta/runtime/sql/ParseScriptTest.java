package io.virta.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virta.runtime.sql.ast.Statement;
import org.junit.jupiter.api.Test;

class ParseScriptTest {
    @Test
    void keepsEachStatementsTextSoItParsesAgainAlone() {
        String script =
                "CREATE STREAM purchases (customer STRING, amount DOUBLE) WITH (KEY='customer');\n"
                        + "  CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000 EMIT CHANGES;";

        var statements = SqlParser.parseScript(script);

        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).text())
                .isEqualTo(
                        "CREATE STREAM purchases (customer STRING, amount DOUBLE) WITH (KEY='customer')");
        assertThat(statements.get(1).text())
                .startsWith("CREATE STREAM big AS SELECT")
                .endsWith("EMIT CHANGES");
        assertThat(SqlParser.parse(statements.get(1).text()))
                .isInstanceOf(Statement.CreateAsSelect.class);
    }

    @Test
    void aSyntaxErrorIsPositionedWithinTheScript() {
        assertThatThrownBy(() -> SqlParser.parseScript("SHOW STREAMS;\nCREATE STREAM AS;"))
                .isInstanceOfSatisfying(
                        SqlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
