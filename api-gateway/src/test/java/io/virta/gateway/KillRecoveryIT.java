package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.testkit.PipelineTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node is killed (no clean shutdown) with windows open; a new node finishes the input. Every
 * window result equals that of an uninterrupted run, computed by the synchronous test driver from
 * the same SQL and events, and each is emitted once.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillRecoveryIT {
    private static final String NO_CLEAN_SHUTDOWN =
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off";

    private TestNode node;

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void windowResultsAfterAKillEqualThoseOfAnUninterruptedRun() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String taps = "taps_" + s;
        String perMinute = "taps_per_min_" + s;
        String sql =
                "CREATE STREAM "
                        + taps
                        + " (usr STRING, ts TIMESTAMP)"
                        + " WITH (KEY='usr', TIMESTAMP='ts', IDLE_TIMEOUT='1 HOUR');\n"
                        + "CREATE TABLE "
                        + perMinute
                        + " AS SELECT usr, COUNT(*) AS n FROM "
                        + taps
                        + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;";
        Instant start = Instant.parse("2024-05-01T12:00:00Z");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(
                    "{\"usr\": \"u"
                            + (i % 3)
                            + "\", \"ts\": \""
                            + start.plusSeconds(7L * i)
                            + "\"}");
        }
        String flush = "{\"usr\": \"flush\", \"ts\": \"" + start.plusSeconds(3600) + "\"}";

        node = TestNode.start(SharedCassandra.contactPoint(), NO_CLEAN_SHUTDOWN);
        assertThat(node.post("/v1/sql", sql, "text/plain").status()).isEqualTo(200);
        for (String event : events.subList(0, 30)) {
            assertThat(node.postJson("/v1/streams/" + taps + "/events", event).status())
                    .isEqualTo(200);
        }
        node.kill();
        // The restarted node resumes every pipeline and connector of the shared catalog; its
        // first requests wait for its catalog like those of a fresh node do.
        node = TestNode.start(SharedCassandra.contactPoint(), NO_CLEAN_SHUTDOWN).awaitCatalog();
        for (String event : events.subList(30, 60)) {
            assertThat(node.postJson("/v1/streams/" + taps + "/events", event).status())
                    .isEqualTo(200);
        }
        assertThat(node.postJson("/v1/streams/" + taps + "/events", flush).status()).isEqualTo(200);

        Map<String, List<Long>> expected = uninterrupted(sql, taps, perMinute, events, flush);
        assertThat(expected).containsKeys("u0", "u1", "u2");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            for (String user : List.of("u0", "u1", "u2")) {
                                assertThat(counts(perMinute, user))
                                        .as("window counts of " + user)
                                        .isEqualTo(expected.get(user));
                            }
                        });
    }

    private static Map<String, List<Long>> uninterrupted(
            String sql, String stream, String table, List<String> events, String flush) {
        PipelineTestDriver driver = new PipelineTestDriver();
        for (String statement : sql.split(";")) {
            if (!statement.isBlank()) {
                driver.execute(statement);
            }
        }
        for (String event : events) {
            driver.pipe(stream, 0, event);
        }
        driver.pipe(stream, 0, flush);
        Map<String, List<Long>> counts = new TreeMap<>();
        for (Row row : driver.output(table)) {
            counts.computeIfAbsent(row.key(), k -> new ArrayList<>())
                    .add(row.value().get("n").asLong());
        }
        return counts;
    }

    private List<Long> counts(String table, String user) {
        JsonNode body = node.get("/v1/streams/" + table + "/keys/" + user + "/events").body();
        return StreamSupport.stream(body.get("events").spliterator(), false)
                .map(e -> e.get("payload").get("n").asLong())
                .toList();
    }
}
