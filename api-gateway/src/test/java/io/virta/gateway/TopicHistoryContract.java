package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every connector type must do when a stream keeps its history in the topic ({@code history =
 * 'topic'}, the sources' default): pipelines fed straight from the topic, their keys' state
 * checkpointed with the topic positions, results produced straight to a sink topic, a node killed
 * half-way without a result lost or a record counted twice, poison records dead-lettered once
 * whatever the number of pipelines.
 */
abstract class TopicHistoryContract extends ConnectorContract {

    /** How many records {@code topic} holds, over all its partitions. */
    protected abstract long recordsIn(String topic) throws Exception;

    /** Grows {@code topic} to {@code partitions} partitions. */
    protected abstract void addPartitions(String topic, int partitions) throws Exception;

    /**
     * The client option, as {@code , 'name' = 'value'}, that makes the broker's client look for new
     * partitions every second instead of its default (minutes for Kafka, 60 s for Pulsar).
     */
    protected abstract String quickPartitionDiscovery();

    /**
     * The default: the records stay in the topic, the count's keys checkpoint their state with the
     * offsets, and a replay after the kill skips what a key had checkpointed.
     */
    @Test
    void withTopicHistoryANodeKilledHalfWayLosesNothingAndCountsNothingTwice() throws Exception {
        killedHalfWay("topic");
    }

    /**
     * Topic history on both sides: a window pipeline fed from a topic produces its results straight
     * to the sink's topic, storing none per key; every result is there once, with its id, and the
     * output stream refuses replays through Virta, naming the sink.
     */
    @Test
    void withTopicHistoryOnBothSidesWindowResultsGoStraightToTheSinkTopic() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("views-" + x, 2);
        createTopic("view-counts-" + x, 1);
        sql(
                """
                CREATE STREAM views_%1$s (usr STRING, ts TIMESTAMP)
                  WITH (KEY='usr', TIMESTAMP='ts', IDLE_TIMEOUT='2 SECONDS');
                CREATE TABLE views_per_min_%1$s AS
                  SELECT usr, WINDOWSTART AS window_start, COUNT(*) AS n FROM views_%1$s
                  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;
                CREATE SINK CONNECTOR view_counts_out_%1$s WITH ('type' = '%3$s',
                  'servers' = '%2$s', 'topic' = 'view-counts-%1$s',
                  'stream' = 'views_per_min_%1$s', 'history' = 'topic');
                CREATE SOURCE CONNECTOR views_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'views-%1$s', 'stream' = 'views_%1$s');
                """
                        .formatted(x, servers(), type()));
        long start = java.time.Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        List<Map.Entry<String, String>> views = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String usr = "u" + (i % 10);
            // 30 views per user in each of the first two minutes, in rising time.
            long time = start + (i / 300) * 60_000L + (i % 300) * 100L;
            views.add(
                    Map.entry(
                            usr,
                            "{\"usr\": \"%s\", \"ts\": \"%s\"}"
                                    .formatted(usr, java.time.Instant.ofEpochMilli(time))));
        }
        produce("views-" + x, views);

        List<Received> counts = readAll("view-counts-" + x, 20);

        assertThat(counts).hasSize(20);
        Map<String, Long> byUserAndWindow = new HashMap<>();
        for (Received r : counts) {
            JsonNode value = TestNode.json(r.value());
            byUserAndWindow.put(
                    r.key() + "@" + value.get("window_start").asText(), value.get("n").asLong());
            assertThat(r.headers()).containsKey("virta-event-id");
        }
        assertThat(byUserAndWindow).hasSize(20).allSatisfy((k, n) -> assertThat(n).isEqualTo(30));
        assertThat(counts.stream().map(r -> r.headers().get("virta-event-id")).distinct())
                .hasSize(20);

        var replay = node.get("/v1/streams/views_per_min_" + x + "/keys/u0/events");
        assertThat(replay.status()).as("%s", replay.body()).isEqualTo(409);
        assertThat(replay.body().toString())
                .contains("view-counts-" + x)
                .contains("sink connector 'view_counts_out_" + x + "'");
        assertThat(node.get("/v1/tables/views_per_min_" + x + "/keys/u0").status()).isEqualTo(409);
        JsonNode status = node.get("/v1/connectors/view_counts_out_" + x).body();
        assertThat(status.path("state").asText()).as("%s", status).isEqualTo("running");
        assertThat(status.path("partitions").path(0).path("consumed").asLong())
                .as("%s", status)
                .isEqualTo(20);
    }

    /**
     * Topic history on both sides, the node killed once the first window's results are out and the
     * second's counts are in the key groups: after the restart, and the rest of the topic, every
     * window result is in the sink topic, right, and any result written twice is an exact repeat
     * (same id, same count), so nothing is lost and nothing counted twice.
     */
    @Test
    void withTopicHistoryOnBothSidesANodeKilledHalfWayLosesNoResult() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        int minutes = 4;
        int keys = 1_000;
        int perKeyAndMinute = 20;
        int events = minutes * keys * perKeyAndMinute;
        createTopic("steps-" + x, 4);
        createTopic("step-counts-" + x, 1);
        long start = java.time.Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        List<Map.Entry<String, String>> steps = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String key = "k" + (i % keys);
            // Minutes in rising time; each minute's records close the windows before it.
            long time = start + (i / (events / minutes)) * 60_000L + (i % (events / minutes));
            steps.add(Map.entry(key, "{\"k\": \"%s\", \"ts\": %d}".formatted(key, time)));
        }
        // The first two minutes now, the rest once the node was killed and started again.
        produce("steps-" + x, steps.subList(0, events / 2));
        sql(
                """
                CREATE STREAM steps_%1$s (k STRING, ts BIGINT) WITH (KEY='k', TIMESTAMP='ts');
                CREATE TABLE step_counts_%1$s AS
                  SELECT k, WINDOWSTART AS window_start, COUNT(*) AS n FROM steps_%1$s
                  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY k EMIT FINAL;
                CREATE SINK CONNECTOR step_counts_out_%1$s WITH ('type' = '%3$s',
                  'servers' = '%2$s', 'topic' = 'step-counts-%1$s',
                  'stream' = 'step_counts_%1$s', 'history' = 'topic');
                CREATE SOURCE CONNECTOR steps_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'steps-%1$s', 'stream' = 'steps_%1$s');
                """
                        .formatted(x, servers(), type()));
        // The first window's results are out (produced, maybe not yet marked delivered), the
        // second window's state is in the groups.
        readAll("step-counts-" + x, keys);

        node.kill();
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);
        produce("steps-" + x, steps.subList(events / 2, events));

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> progress("steps_in_" + x)[1] == 0);
        int results = (minutes - 1) * keys;
        Map<String, Received> byWindow = new HashMap<>();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            for (Received r : readAll("step-counts-" + x, results)) {
                                JsonNode value = TestNode.json(r.value());
                                String window = r.key() + "@" + value.get("window_start").asText();
                                Received before = byWindow.putIfAbsent(window, r);
                                if (before != null) {
                                    assertThat(r.headers().get("virta-event-id"))
                                            .as("a repeat of %s carries its id", window)
                                            .isEqualTo(before.headers().get("virta-event-id"));
                                    assertThat(r.value()).isEqualTo(before.value());
                                }
                            }
                            assertThat(byWindow).hasSize(results);
                        });
        assertThat(byWindow.values())
                .allSatisfy(
                        r ->
                                assertThat(TestNode.json(r.value()).get("n").asLong())
                                        .as(r.value())
                                        .isEqualTo(perKeyAndMinute));
    }

    @Test
    void withTopicHistoryACountTableHoldsEveryKeysCount() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("taps-" + x, 2);
        List<Map.Entry<String, String>> taps = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String key = "k" + (i % 10);
            taps.add(Map.entry(key, "{\"k\": \"%s\", \"i\": %d}".formatted(key, i)));
        }
        produce("taps-" + x, taps);
        sql(
                """
                CREATE STREAM taps_%1$s (k STRING, i INT) WITH (KEY='k');
                CREATE TABLE tap_counts_%1$s AS SELECT k, COUNT(*) AS n FROM taps_%1$s GROUP BY k;
                CREATE SOURCE CONNECTOR taps_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'taps-%1$s', 'stream' = 'taps_%1$s');
                """
                        .formatted(x, servers(), type()));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            for (int k = 0; k < 10; k++) {
                                JsonNode row =
                                        node.get("/v1/tables/tap_counts_" + x + "/keys/k" + k)
                                                .body();
                                assertThat(row.path("row").path("n").asLong())
                                        .as("k%d: %s", k, row)
                                        .isEqualTo(100);
                            }
                        });

        // The stream's history is the topic: events written to it through Virta would be seen by
        // no pipeline, so they are refused, and nothing changes.
        var posted =
                node.post(
                        "/v1/streams/taps_" + x + "/events",
                        "{\"k\": \"k0\", \"i\": 1}",
                        "application/json");
        assertThat(posted.status()).as("%s", posted.body()).isEqualTo(409);
        assertThat(posted.body().path("error").asText()).isEqualTo("stream_history_in_topic");
        assertThat(posted.body().toString()).contains("taps-" + x).contains("taps_in_" + x);
        assertThat(node.get("/v1/streams/taps_" + x + "/keys/k0/events").status()).isEqualTo(409);
        var inserted =
                node.post(
                        "/v1/sql",
                        "INSERT INTO taps_%s (k, i) VALUES ('k0', 2);".formatted(x),
                        "text/plain");
        assertThat(inserted.body().toString()).contains("keeps its history in topic");
        assertThat(
                        node.get("/v1/tables/tap_counts_" + x + "/keys/k0")
                                .body()
                                .path("row")
                                .path("n")
                                .asLong())
                .isEqualTo(100L);
    }

    /**
     * Two pipelines read one topic-history stream, each in its own consumer group or subscription;
     * the poison records still reach the dead-letter topic once, not once per pipeline.
     */
    @Test
    void withTopicHistoryPoisonRecordsAreDeadLetteredOnceWhateverThePipelines() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("pings-" + x, 2);
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "k" + (i % 4);
            records.add(Map.entry(key, "{\"k\": \"%s\", \"i\": %d}".formatted(key, i)));
        }
        records.add(Map.entry("k0", "{not json"));
        records.add(Map.entry("k1", "{\"i\": 7}"));
        records.add(Map.entry("k2", "[1, 2]"));
        produce("pings-" + x, records);
        sql(
                """
                CREATE STREAM pings_%1$s (k STRING, i INT) WITH (KEY='k');
                CREATE TABLE ping_counts_%1$s AS SELECT k, COUNT(*) AS n FROM pings_%1$s GROUP BY k;
                CREATE TABLE ping_sums_%1$s AS SELECT k, SUM(i) AS s FROM pings_%1$s GROUP BY k;
                CREATE SOURCE CONNECTOR pings_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'pings-%1$s', 'stream' = 'pings_%1$s');
                """
                        .formatted(x, servers(), type()));
        String status = "/v1/connectors/pings_in_" + x;
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            JsonNode body = node.get(status).body();
                            java.util.Set<String> consumers = new java.util.HashSet<>();
                            long deadLettered = 0;
                            for (JsonNode partition : body.get("partitions")) {
                                consumers.add(partition.get("consumer").asText());
                                assertThat(partition.path("lag").asLong(-1))
                                        .as("%s", body)
                                        .isZero();
                                deadLettered += partition.get("deadLettered").asLong();
                            }
                            // The connector's own group or subscription and one per pipeline.
                            assertThat(consumers).as("%s", body).hasSize(3);
                            assertThat(deadLettered).as("%s", body).isEqualTo(3);
                            assertThat(
                                            node.get("/v1/tables/ping_counts_" + x + "/keys/k0")
                                                    .body()
                                                    .path("row")
                                                    .path("n")
                                                    .asLong())
                                    .isEqualTo(5);
                            assertThat(
                                            node.get("/v1/tables/ping_sums_" + x + "/keys/k3")
                                                    .body()
                                                    .path("row")
                                                    .path("s")
                                                    .asLong())
                                    .isEqualTo(3 + 7 + 11 + 15 + 19);
                        });
        // Every consumer committed past the poison records: all the dead letters there will ever
        // be are in the topic.
        assertThat(readAll("pings-" + x + "-dlq", 3)).hasSize(3);
        assertThat(recordsIn("pings-" + x + "-dlq"))
                .as("records in the dead-letter topic")
                .isEqualTo(3);
    }

    /**
     * Partitions added to the topic while a pipeline reads it are found and read without a restart
     * of the node or the connector: every key's count takes in its records in the new partitions.
     */
    @Test
    void withTopicHistoryPartitionsAddedToTheTopicAreRead() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        int keys = 60;
        createTopic("grows-" + x, 1);
        sql(
                """
                CREATE STREAM grows_%1$s (k STRING, i INT) WITH (KEY='k');
                CREATE TABLE grow_counts_%1$s AS SELECT k, COUNT(*) AS n FROM grows_%1$s GROUP BY k;
                CREATE SOURCE CONNECTOR grows_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'grows-%1$s', 'stream' = 'grows_%1$s'%4$s);
                """
                        .formatted(x, servers(), type(), quickPartitionDiscovery()));
        List<Map.Entry<String, String>> round = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            round.add(Map.entry("k" + k, "{\"k\": \"k%d\", \"i\": %d}".formatted(k, k)));
        }
        produce("grows-" + x, round);
        awaitCounts("grow_counts_" + x, keys, 1);

        addPartitions("grows-" + x, 3);
        // A new producer sees three partitions: the keys spread over them.
        produce("grows-" + x, round);
        produce("grows-" + x, round);

        awaitCounts("grow_counts_" + x, keys, 3);
        JsonNode status = node.get("/v1/connectors/grows_in_" + x).body();
        assertThat(status.path("partitions").findValues("partition"))
                .as("the pipeline's consumer reports the new partitions: %s", status)
                .anyMatch(p -> p.asInt() > 0);
    }
}
