package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.runtime.operator.Window;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Grace period, late side stream, EMIT FINAL, quiet keys and idle streams. */
class EventTimeDriverTest {

    private static PipelineTestDriver driver(String with, String emit) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, v INT)" + with);
        d.execute(
                "CREATE TABLE r AS SELECT k, COUNT(*) AS n, WINDOWSTART AS ws FROM s WINDOW"
                        + " TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY k HAVING"
                        + " COUNT(*) > 0 "
                        + emit);
        return d;
    }

    @Test
    void lateRecordsGoToTheLateStreamAndAreCounted() {
        var d = driver("", "EMIT CHANGES");
        d.pipe("s", 1_000, "{\"k\":\"a\",\"v\":1}");
        d.pipe("s", 11_000, "{\"k\":\"a\",\"v\":1}");
        d.pipe("s", 9_000, "{\"k\":\"a\",\"v\":1}"); // within grace: window closes at 12s
        d.pipe("s", 12_500, "{\"k\":\"b\",\"v\":1}");
        d.pipe("s", 9_500, "{\"k\":\"a\",\"v\":1}"); // too late
        assertThat(d.lateCount("r")).isEqualTo(1);
        assertThat(d.output("r_late").get(0).eventTime()).isEqualTo(9_500);
        assertThat(d.table("r").get("a@[0,10000)").get("n").asLong()).isEqualTo(2);
        assertThat(d.table("r").get("a@[0,10000)").get("ws").asLong()).isZero();
    }

    @Test
    void emitFinalEmitsOncePerWindowWhenTheStreamWatermarkPasses() {
        var d = driver("", "EMIT FINAL");
        d.pipe("s", 1_000, "{\"k\":\"a\",\"v\":1}");
        d.pipe("s", 2_000, "{\"k\":\"a\",\"v\":1}");
        assertThat(d.output("r")).isEmpty();
        // another key moves the stream's watermark: quiet key a still gets its window closed
        d.pipe("s", 12_000, "{\"k\":\"b\",\"v\":1}");
        assertThat(d.output("r")).hasSize(1);
        assertThat(d.output("r").get(0).window()).isEqualTo(new Window(0, 10_000));
        assertThat(d.output("r").get(0).value().get("n").asLong()).isEqualTo(2);
    }

    @Test
    void aQuietKeysWindowIsClosedByOtherKeysSoItsLateRecordIsRejected() {
        var d = driver("", "EMIT CHANGES");
        d.pipe("s", 1_000, "{\"k\":\"a\",\"v\":1}");
        d.pipe("s", 20_000, "{\"k\":\"b\",\"v\":1}"); // only b moves the stream: wm 20 s
        d.pipe("s", 5_000, "{\"k\":\"a\",\"v\":1}"); // a never saw 20 s, still late
        assertThat(d.lateCount("r")).isEqualTo(1);
        assertThat(d.output("r_late").get(0).key()).isEqualTo("a");
        assertThat(d.table("r").get("a@[0,10000)").get("n").asLong()).isEqualTo(1);
    }

    @Test
    void idleTimeoutAdvancesAQuietStream() {
        var d =
                driver(
                        " WITH (OUT_OF_ORDERNESS='1 SECOND', IDLE_TIMEOUT='30 SECONDS')",
                        "EMIT FINAL");
        d.pipe("s", 5_000, "{\"k\":\"a\",\"v\":1}");
        d.advanceProcessingTime(Duration.ofSeconds(29));
        assertThat(d.output("r")).isEmpty();
        d.advanceProcessingTime(Duration.ofSeconds(8));
        assertThat(d.watermark("s")).isEqualTo(12_000);
        assertThat(d.output("r")).hasSize(1);
    }

    @Test
    void multiPartitionStreamWaitsForItsSlowestPartition() {
        var d = driver(" WITH (PARTITIONS=2)", "EMIT FINAL");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        d.pipe("s", 0, 1_000, json.createObjectNode().put("k", "a").put("v", 1));
        d.pipe("s", 0, 30_000, json.createObjectNode().put("k", "a").put("v", 1));
        assertThat(d.output("r")).isEmpty();
        d.pipe("s", 1, 20_000, json.createObjectNode().put("k", "b").put("v", 1));
        assertThat(d.output("r")).hasSize(1);
    }

    @Test
    void expressionsFromTheDialect() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM clicks (user_id STRING KEY, properties STRUCT<page STRING, ms INT>,"
                        + " tags ARRAY<STRING>, price DECIMAL(10,2))");
        d.execute(
                "CREATE STREAM o AS SELECT user_id, properties->page AS page, UCASE(tags[1]) ||"
                        + " '!' AS t, CASE WHEN properties->ms BETWEEN 0 AND 100 THEN 'fast' ELSE"
                        + " 'slow' END AS speed, CAST(properties->ms AS STRING) AS ms, price * 2 AS"
                        + " p2, ROUND(properties->ms / 3.0, 1) AS third FROM clicks WHERE"
                        + " properties->page LIKE '/home%' AND user_id IN ('u1', 'u2') AND tags IS"
                        + " NOT NULL");
        d.pipe(
                "clicks",
                5,
                "{\"user_id\":\"u1\",\"properties\":{\"page\":\"/home/x\",\"ms\":50},"
                        + "\"tags\":[\"a\",\"b\"],\"price\":1.25}");
        d.pipe("clicks", 6, "{\"user_id\":\"u3\",\"properties\":{\"page\":\"/home\"},\"tags\":[]}");
        d.pipe("clicks", 7, "{\"user_id\":\"u2\",\"properties\":{\"page\":\"/cart\"},\"tags\":[]}");
        assertThat(d.values("o")).hasSize(1);
        assertThat(d.values("o").get(0).toString())
                .isEqualTo(
                        "{\"user_id\":\"u1\",\"page\":\"/home/x\",\"t\":\"A!\",\"speed\":\"fast\","
                                + "\"ms\":\"50\",\"p2\":2.50,\"third\":16.7}");
    }
}
