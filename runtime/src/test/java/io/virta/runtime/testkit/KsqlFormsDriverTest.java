package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virta.runtime.operator.Window;
import io.virta.runtime.sql.SqlPlanningException;
import org.junit.jupiter.api.Test;

/** The ksqlDB forms of the dialect, run through the driver with checked outputs. */
class KsqlFormsDriverTest {

    @Test
    void withKeyAndTimestampTakeKeyAndEventTimeFromThePayload() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING, ts BIGINT, v INT) WITH (KEY='id', TIMESTAMP='ts',"
                        + " KAFKA_TOPIC='s', VALUE_FORMAT='JSON', OUT_OF_ORDERNESS='1 SECOND');");
        d.pipe("s", 0, "{\"id\":\"a\",\"ts\":5000,\"v\":1}");
        assertThat(d.output("s").get(0).key()).isEqualTo("a");
        assertThat(d.output("s").get(0).eventTime()).isEqualTo(5_000);
        assertThat(d.watermark("s")).isEqualTo(4_000);
    }

    @Test
    void partitionByOnCreateAndOnCsasRekeys() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (id STRING, region STRING) PARTITION BY id;");
        d.execute("CREATE STREAM by_region AS SELECT * FROM s PARTITION BY region EMIT CHANGES;");
        d.pipe("s", 1, "{\"id\":\"a\",\"region\":\"eu\"}");
        assertThat(d.output("s").get(0).key()).isEqualTo("a");
        assertThat(d.output("by_region").get(0).key()).isEqualTo("eu");
        assertThat(d.plan("by_region").rekeys()).isTrue();
    }

    @Test
    void showDescribeAndDrop() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY, v INT); CREATE TABLE t (id STRING PRIMARY KEY, n"
                        + " BIGINT); CREATE STREAM o AS SELECT id, v * 2 AS w FROM s;");
        assertThat(d.execute("SHOW STREAMS;")).containsExactlyInAnyOrder("s", "o");
        assertThat(d.execute("LIST TABLES;")).containsExactly("t");
        assertThat(d.execute("SHOW QUERIES;")).containsExactly("o");
        assertThat(d.execute("DESCRIBE s;"))
                .containsExactly("STREAM s", "  id STRING KEY", "  v INT");
        assertThat(d.execute("DESCRIBE EXTENDED o;"))
                .containsExactly("STREAM o", "  id STRING KEY", "  w INT", "  PROJECT [id, w]");
        assertThatThrownBy(() -> d.execute("DROP STREAM s;"))
                .isInstanceOf(SqlPlanningException.class)
                .hasMessageContaining("queries writing [o] read from it");
        d.execute("DROP STREAM o; DROP STREAM s; DROP TABLE IF EXISTS nope;");
        assertThat(d.execute("SHOW STREAMS")).isEmpty();
        assertThatThrownBy(() -> d.execute("DESCRIBE s"))
                .isInstanceOf(SqlPlanningException.class)
                .hasMessageContaining("unknown source 's'");
    }

    @Test
    void hoppingWindowClauseWithGraceEmitsFinalResultsOncePerWindow() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY, v INT); CREATE TABLE o AS SELECT id, COUNT(*) AS"
                        + " n, WINDOWSTART AS ws, WINDOWEND AS we FROM s WINDOW HOPPING (SIZE 10"
                        + " SECONDS, ADVANCE BY 5 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY id EMIT"
                        + " FINAL;");
        d.pipe("s", 1_000, "{\"id\":\"a\"}");
        d.pipe("s", 7_000, "{\"id\":\"a\"}");
        // watermark 10.5 s: [-5,5) closed at 6 s; [0,10) closes at 11 s, so it is still open
        d.pipe("s", 10_500, "{\"id\":\"b\"}");
        assertThat(d.output("o")).hasSize(1);
        d.pipe("s", 6_000, "{\"id\":\"a\"}"); // within grace
        d.pipe("s", 30_000, "{\"id\":\"b\"}");
        assertThat(d.values("o").stream().map(Object::toString))
                .containsExactly(
                        "{\"id\":\"a\",\"n\":1,\"ws\":-5000,\"we\":5000}",
                        "{\"id\":\"a\",\"n\":3,\"ws\":0,\"we\":10000}",
                        "{\"id\":\"a\",\"n\":2,\"ws\":5000,\"we\":15000}",
                        "{\"id\":\"b\",\"n\":1,\"ws\":5000,\"we\":15000}",
                        "{\"id\":\"b\",\"n\":1,\"ws\":10000,\"we\":20000}");
        assertThat(d.lateCount("o")).isZero();
    }

    @Test
    void sessionWindowClauseEmitsTheMergedSessionOnceWhenItCloses() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY, a STRING) WITH (OUT_OF_ORDERNESS='20 SECONDS');"
                        + " CREATE TABLE o AS SELECT id, COLLECT_LIST(a) AS acts FROM s WINDOW"
                        + " SESSION (10 SECONDS) GROUP BY id EMIT FINAL;");
        d.pipe("s", 1_000, "{\"id\":\"u\",\"a\":\"x\"}"); // [1,11)
        d.pipe("s", 24_000, "{\"id\":\"u\",\"a\":\"z\"}"); // [24,34)
        d.pipe("s", 15_000, "{\"id\":\"u\",\"a\":\"y\"}"); // [15,25) joins it: [15,34)
        d.pipe("s", 9_000, "{\"id\":\"u\",\"a\":\"w\"}"); // [9,19) bridges both: [1,34)
        assertThat(d.output("o")).isEmpty();
        d.pipe("s", 60_000, "{\"id\":\"v\",\"a\":\"q\"}");
        assertThat(d.output("o")).hasSize(1);
        assertThat(d.output("o").get(0).window()).isEqualTo(new Window(1_000, 34_000));
        // merged sessions concatenate in window order, then the bridging record is appended
        assertThat(d.values("o").get(0).get("acts").toString())
                .isEqualTo("[\"x\",\"z\",\"y\",\"w\"]");
    }

    @Test
    void recordsExactlyOneGapApartAreSeparateSessions() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (id STRING KEY); CREATE TABLE o AS SELECT id, COUNT(*) AS n FROM s"
                        + " WINDOW SESSION (10 SECONDS) GROUP BY id EMIT FINAL;");
        d.pipe("s", 0, "{\"id\":\"u\"}");
        d.pipe("s", 10_000, "{\"id\":\"u\"}");
        d.advanceWatermark("s", 100_000);
        assertThat(d.output("o").stream().map(r -> r.window()))
                .containsExactly(new Window(0, 10_000), new Window(10_000, 20_000));
    }

    @Test
    void aProjectionWithoutTheKeyColumnKeepsTheRowsKey() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (id STRING KEY, v INT); CREATE STREAM o AS SELECT v FROM s;");
        d.pipe("s", 1, "{\"id\":\"a\",\"v\":1}");
        assertThat(d.output("o").get(0).key()).isEqualTo("a");
        assertThat(d.values("o").get(0)).hasToString("{\"v\":1}");
        assertThat(d.plan("o").sink().keyColumns()).isEmpty();
    }

    @Test
    void aCompositeKeyIsTheSameWhetherPipedOrInserted() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (a STRING KEY, b INT KEY, v INT); CREATE TABLE t AS SELECT a, b,"
                        + " COUNT(*) AS n FROM s GROUP BY a, b;");
        d.pipe("s", 1, "{\"a\":\"x\",\"b\":\"2\",\"v\":1}");
        d.execute("INSERT INTO s VALUES ('x', 2, 5);");
        assertThat(d.output("s").get(0).key()).isEqualTo(d.output("s").get(1).key());
        assertThat(d.table("t")).hasSize(1);
        assertThat(d.table("t").values().iterator().next().get("n").asLong()).isEqualTo(2);
    }

    @Test
    void aValueThatCannotBeReadAsItsDeclaredTypeIsRejectedNotNulled() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (id STRING KEY, v INT, ts BIGINT) WITH (TIMESTAMP='ts');");
        assertThatThrownBy(() -> d.pipe("s", 1, "{\"id\":\"a\",\"v\":\"seven\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s.v is INT, cannot read \"seven\"");
        assertThatThrownBy(() -> d.pipe("s", 1, "{\"id\":\"a\",\"ts\":\"soon\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s.ts is BIGINT");
        assertThat(d.output("s")).isEmpty();
    }

    @Test
    void insertIntoSelectAppendsToAnExistingStream() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM a (id STRING KEY, v INT); CREATE STREAM b (id STRING KEY, v INT);"
                        + " CREATE STREAM all_v (id STRING KEY, v INT);"
                        + " INSERT INTO all_v SELECT * FROM a; INSERT INTO all_v SELECT * FROM b;");
        d.pipe("a", 1, "{\"id\":\"x\",\"v\":1}");
        d.pipe("b", 2, "{\"id\":\"y\",\"v\":2}");
        assertThat(d.values("all_v").stream().map(Object::toString))
                .containsExactly("{\"id\":\"x\",\"v\":1}", "{\"id\":\"y\",\"v\":2}");
    }
}
