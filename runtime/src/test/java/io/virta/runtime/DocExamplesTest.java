package io.virta.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.runtime.operator.Window;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.testkit.PipelineTestDriver;
import io.virta.runtime.window.TumblingWindows;
import io.virta.runtime.window.WindowSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code <pre>{@code ...}</pre>} examples of the public entry points, run as written. */
class DocExamplesTest {

    @Test
    void pipelineTestDriver() {
        PipelineTestDriver d = new PipelineTestDriver();
        d.execute("CREATE STREAM clicks (user STRING KEY, page STRING)");
        d.execute(
                "CREATE TABLE per_user AS SELECT user, COUNT(*) AS n FROM clicks"
                        + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user EMIT FINAL");
        d.pipe("clicks", 1_000, "{\"user\":\"a\",\"page\":\"/\"}");
        d.pipe("clicks", 61_000, "{\"user\":\"a\",\"page\":\"/\"}");
        assertThat(d.output("per_user")).hasSize(1);
        assertThat(d.output("per_user").get(0).key()).isEqualTo("a");
        assertThat(d.output("per_user").get(0).window()).isEqualTo(new Window(0, 60_000));
        assertThat(d.values("per_user").get(0).get("n").asLong()).isEqualTo(1);
    }

    @Test
    void planner() {
        Catalog c =
                Catalog.empty()
                        .with(
                                Planner.describe(
                                        (Statement.CreateSource)
                                                SqlParser.parse(
                                                        "CREATE STREAM purchases (id STRING KEY,"
                                                                + " amount DOUBLE)")));
        QueryPlan p =
                Planner.plan(
                        (Statement.CreateAsSelect)
                                SqlParser.parse(
                                        "CREATE STREAM big AS SELECT * FROM purchases WHERE amount"
                                                + " > 1000"),
                        c);
        assertThat(p.describe()).containsExactly("FILTER (amount > 1000)", "PROJECT [id, amount]");
    }

    @Test
    void sqlParser() {
        Statement s =
                SqlParser.parse(
                        "CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000 EMIT"
                                + " CHANGES;");
        assertThat(s).isInstanceOf(Statement.CreateAsSelect.class);
    }

    @Test
    void windowSpecGrace() {
        WindowSpec w = TumblingWindows.of(Duration.ofMinutes(5));
        WindowSpec g = w.withGrace(Duration.ofSeconds(30));
        assertThat(w.grace()).isZero();
        assertThat(g.closeTime(new Window(0, 300_000))).isEqualTo(330_000);
    }
}
