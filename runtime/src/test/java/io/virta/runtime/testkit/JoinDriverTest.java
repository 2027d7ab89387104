package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.state.IntervalJoinState;
import io.virta.runtime.plan.Step;
import io.virta.runtime.sql.SqlPlanningException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stream-stream interval joins and stream-table joins through the driver. */
class JoinDriverTest {

    static final long MIN = 60_000;

    static PipelineTestDriver shop(String join, String within) {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM page_views (view_id STRING KEY, user_id STRING, page STRING,"
                        + " event_time TIMESTAMP) WITH (TIMESTAMP='event_time')");
        d.execute(
                "CREATE STREAM purchases (user_id STRING KEY, amount DOUBLE, event_time TIMESTAMP)"
                        + " WITH (TIMESTAMP='event_time')");
        d.execute(
                "CREATE STREAM s AS SELECT v.user_id, v.page, p.amount, (p.event_time -"
                        + " v.event_time) AS time_to_purchase FROM page_views v "
                        + join
                        + " purchases p ON v.user_id = p.user_id "
                        + within
                        + " EMIT CHANGES;");
        return d;
    }

    static void view(PipelineTestDriver d, String id, String user, String page, long t) {
        d.pipe(
                "page_views",
                t,
                "{\"view_id\":\"%s\",\"user_id\":\"%s\",\"page\":\"%s\",\"event_time\":%d}"
                        .formatted(id, user, page, t));
    }

    static void buy(PipelineTestDriver d, String user, double amount, long t) {
        d.pipe(
                "purchases",
                t,
                "{\"user_id\":\"%s\",\"amount\":%s,\"event_time\":%d}".formatted(user, amount, t));
    }

    static List<String> out(PipelineTestDriver d) {
        return d.values("s").stream().map(JsonNode::toString).toList();
    }

    @Test
    void innerIntervalJoinPairsRowsWithinTheHour() {
        var d = shop("JOIN", "WITHIN 1 HOUR");
        view(d, "v1", "u1", "/shoes", 0);
        view(d, "v2", "u2", "/hats", 0);
        buy(d, "u1", 50.0, 10 * MIN);
        buy(d, "u2", 5.0, 70 * MIN); // 70 minutes after u2's view: too far
        assertThat(out(d))
                .containsExactly(
                        "{\"user_id\":\"u1\",\"page\":\"/shoes\",\"amount\":50.0,\"time_to_purchase\":600000}");
        Step.Join j = d.plan("s").join().orElseThrow();
        assertThat(j.left().rekey()).isTrue(); // page_views is keyed by view_id
        assertThat(j.right().rekey()).isFalse();
        assertThat(j.left().keyColumn()).isEqualTo("user_id");
        assertThat(d.plan("s").sources())
                .extracting(s -> s.name())
                .containsExactly("page_views", "purchases");
        assertThat(d.plan("s").stateful().orElseThrow().stateClass())
                .isEqualTo(IntervalJoinState.class);
        assertThat(d.output("s").get(0).key()).isEqualTo("u1");
    }

    @Test
    void leftJoinEmitsUnmatchedViewsWhenTheyExpire() {
        var d = shop("LEFT OUTER JOIN", "WITHIN 1 HOUR");
        view(d, "v1", "u1", "/a", 0);
        buy(d, "u9", 1.0, 30 * MIN);
        assertThat(out(d)).isEmpty();
        view(d, "v2", "u3", "/b", 61 * MIN); // both watermarks now past v1's hour
        buy(d, "u9", 1.0, 62 * MIN);
        assertThat(out(d))
                .containsExactly(
                        "{\"user_id\":\"u1\",\"page\":\"/a\",\"amount\":null,\"time_to_purchase\":null}");
    }

    @Test
    void fullJoinEmitsUnmatchedRowsOfBothSides() {
        var d = shop("FULL JOIN", "WITHIN (0 SECONDS, 10 MINUTES)");
        view(d, "v1", "u1", "/a", 10 * MIN);
        buy(d, "u1", 2.0, 5 * MIN); // before the view: outside (0, 10 min)
        buy(d, "u1", 3.0, 15 * MIN);
        d.advanceWatermark("page_views", 100 * MIN);
        d.advanceWatermark("purchases", 100 * MIN);
        assertThat(out(d))
                .containsExactlyInAnyOrder(
                        "{\"user_id\":\"u1\",\"page\":\"/a\",\"amount\":3.0,\"time_to_purchase\":300000}",
                        "{\"user_id\":null,\"page\":null,\"amount\":2.0,\"time_to_purchase\":null}");
    }

    @Test
    void lateRowsAreSetAside() {
        var d = shop("JOIN", "WITHIN 1 MINUTE");
        view(d, "v1", "u1", "/a", 10 * MIN);
        buy(d, "u1", 1.0, 10 * MIN);
        buy(d, "u1", 1.0, 1 * MIN); // behind both watermarks
        assertThat(d.lateCount("s")).isEqualTo(1);
    }

    static PipelineTestDriver enrich(String join) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM purchases (id STRING KEY, user_id STRING, amount DOUBLE)");
        d.execute("CREATE TABLE users (id STRING PRIMARY KEY, name STRING, country STRING)");
        d.execute(
                "CREATE STREAM enriched AS SELECT p.id, p.amount, u.name, u.country FROM purchases p "
                        + join
                        + " users u ON p.user_id = u.id");
        return d;
    }

    @Test
    void streamTableJoinEnrichesWithTheCurrentTableRow() {
        var d = enrich("JOIN");
        d.pipe("users", 0, "{\"id\":\"u1\",\"name\":\"Ann\",\"country\":\"NO\"}");
        d.pipe("purchases", 1, "{\"id\":\"p1\",\"user_id\":\"u1\",\"amount\":10}");
        d.pipe("purchases", 2, "{\"id\":\"p2\",\"user_id\":\"u2\",\"amount\":20}"); // no such user
        d.pipe("users", 3, "{\"id\":\"u1\",\"name\":\"Ann\",\"country\":\"SE\"}");
        d.pipe("purchases", 4, "{\"id\":\"p3\",\"user_id\":\"u1\",\"amount\":30}");
        d.pipeTombstone("users", "u1", 5);
        d.pipe("purchases", 6, "{\"id\":\"p4\",\"user_id\":\"u1\",\"amount\":40}");
        assertThat(d.values("enriched").stream().map(JsonNode::toString))
                .containsExactly(
                        "{\"id\":\"p1\",\"amount\":10.0,\"name\":\"Ann\",\"country\":\"NO\"}",
                        "{\"id\":\"p3\",\"amount\":30.0,\"name\":\"Ann\",\"country\":\"SE\"}");
        Step.Join j = d.plan("enriched").join().orElseThrow();
        assertThat(j.streamTable()).isTrue();
        assertThat(j.left().rekey()).isTrue();
        assertThat(j.right().rekey()).isFalse();
    }

    @Test
    void leftStreamTableJoinKeepsRowsWithoutATableRow() {
        var d = enrich("LEFT JOIN");
        d.pipe("purchases", 1, "{\"id\":\"p1\",\"user_id\":\"u1\",\"amount\":10}");
        assertThat(d.values("enriched").get(0).toString())
                .isEqualTo("{\"id\":\"p1\",\"amount\":10.0,\"name\":null,\"country\":null}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "SELECT * FROM a JOIN b ON a.k = b.k;JOIN;needs WITHIN",
                "SELECT * FROM a JOIN b ON a.k = b.k + 1 WITHIN 1 SECOND;= b.k + 1;equality of a column of each side",
                "SELECT * FROM a FULL JOIN t ON a.k = t.k;JOIN;INNER or LEFT",
                "SELECT * FROM a JOIN t ON a.k = t.v;= t.v;joined on its key",
                "SELECT * FROM t JOIN a ON t.k = a.k WITHIN 1 SECOND;t JOIN;put the stream in FROM",
                "SELECT v FROM a JOIN b ON a.k = b.k WITHIN 1 SECOND;v FROM;ambiguous",
                "SELECT a.k, COUNT(*) FROM a JOIN b ON a.k = b.k WITHIN 1 SECOND GROUP BY a.k;JOIN;GROUP BY"
            })
    void planningErrors(String select, String at, String message) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM a (k STRING KEY, v INT)");
        d.execute("CREATE STREAM b (k STRING KEY, v INT)");
        d.execute("CREATE TABLE t (k STRING PRIMARY KEY, v INT)");
        String sql = "CREATE STREAM o AS " + select;
        assertThatThrownBy(() -> d.execute(sql))
                .isInstanceOfSatisfying(
                        SqlPlanningException.class,
                        e -> {
                            assertThat(e.getMessage()).contains(message);
                            assertThat(e.column()).isEqualTo(sql.indexOf(at) + 1);
                        });
    }
}
