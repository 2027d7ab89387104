package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every connector type must do, against its real broker and a real Cassandra: topic to stream
 * to window pipeline to topic, poison records to the dead-letter topic and stream, and a node
 * killed half-way through a topic without an event lost or counted twice. A subclass supplies the
 * broker: its connector type, servers, and a client to make topics, produce and read back.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectorContract {
    /** A record read back from a topic. */
    record Received(String key, String value, Map<String, String> headers) {}

    /** The connector type ({@code kafka}, {@code pulsar}). */
    protected abstract String type();

    /** The servers option of the connectors. */
    protected abstract String servers();

    /** Makes {@code topic} with {@code partitions} partitions. */
    protected abstract void createTopic(String topic, int partitions) throws Exception;

    /** Produces {@code records} (key, possibly null, and value) to {@code topic}, in order. */
    protected abstract void produce(String topic, List<Map.Entry<String, String>> records);

    /** Reads {@code topic} from its start until {@code count} records came. */
    protected abstract List<Received> readAll(String topic, int count);

    /** More options of every connector made by the tests, each as {@code , 'name' = 'value'}. */
    protected String extraOptions() {
        return "";
    }

    /** The key under which the dead letters of partition 0 of {@code topic} are stored. */
    protected String deadLetterKey(String topic) {
        return topic + "-0";
    }

    protected static final Duration WAIT = Duration.ofSeconds(90);
    protected static final String CRASHABLE =
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n"
                    + "virta.connectors.reconcile-interval = 500ms";

    protected TestNode node;

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);
    }

    /**
     * Drops every connector of the shared catalog after each test, so that no later node (of this
     * class or another) starts them again and reads their topics for nothing.
     */
    @AfterEach
    void dropConnectors() {
        var list = node.get("/v1/connectors");
        assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
        for (JsonNode connector : list.body().get("connectors")) {
            String name = connector.get("name").asText();
            var reply =
                    node.post("/v1/sql", "DROP CONNECTOR IF EXISTS " + name + ";", "text/plain");
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        }
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    protected void sql(String script) {
        String type = "'type' = '" + type() + "'";
        var reply = node.post("/v1/sql", script.replace(type, type + extraOptions()), "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    protected List<JsonNode> replay(String stream, String key) {
        var reply = node.get("/v1/streams/" + stream + "/keys/" + key + "/events?limit=10000");
        if (reply.status() == 404) {
            return List.of();
        }
        return StreamSupport.stream(reply.body().get("events").spliterator(), false).toList();
    }

    @Test
    void aTopicFeedsAWindowPipelineWhoseResultsGoToAnotherTopic() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("clicks-" + x, 3);
        sql(
                """
                CREATE STREAM clicks_%1$s (usr STRING, ts TIMESTAMP)
                  WITH (KEY='usr', TIMESTAMP='ts', IDLE_TIMEOUT='2 SECONDS');
                CREATE TABLE per_min_%1$s AS SELECT usr, COUNT(*) AS n FROM clicks_%1$s
                  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;
                CREATE SOURCE CONNECTOR clicks_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'clicks-%1$s', 'stream' = 'clicks_%1$s');
                CREATE SINK CONNECTOR counts_out_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'counts-%1$s', 'stream' = 'per_min_%1$s');
                """
                        .formatted(x, servers(), type()));
        List<Map.Entry<String, String>> clicks = new ArrayList<>();
        for (String[] click :
                new String[][] {
                    {"ann", "12:00:01"},
                    {"bob", "12:00:05"},
                    {"ann", "12:00:30"},
                    {"ann", "12:01:10"},
                    {"bob", "12:01:20"}
                }) {
            clicks.add(
                    Map.entry(
                            click[0],
                            "{\"usr\": \"%s\", \"ts\": \"2024-05-01T%sZ\"}"
                                    .formatted(click[0], click[1])));
        }
        produce("clicks-" + x, clicks);

        List<Received> counts = readAll("counts-" + x, 4);

        Map<String, List<Long>> byUser = new HashMap<>();
        for (Received r : counts) {
            byUser.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(TestNode.json(r.value()).get("n").asLong());
            assertThat(r.headers()).containsKey("virta-event-id");
        }
        assertThat(byUser.get("ann")).containsExactly(2L, 1L);
        assertThat(byUser.get("bob")).containsExactly(1L, 1L);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndStreamAndTheRestFlows() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("orders-" + x, 1);
        sql(
                """
                CREATE STREAM orders_%1$s (customer STRING, amount DOUBLE) WITH (KEY='customer');
                CREATE SOURCE CONNECTOR orders_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'orders-%1$s', 'stream' = 'orders_%1$s', 'history' = 'cassandra');
                """
                        .formatted(x, servers(), type()));
        List<Map.Entry<String, String>> orders = new ArrayList<>();
        for (String value :
                List.of(
                        "{\"customer\": \"ann\", \"amount\": 1}",
                        "{not json",
                        "{\"amount\": 2}",
                        "{\"customer\": \"ann\", \"amount\": 3}")) {
            orders.add(new java.util.AbstractMap.SimpleEntry<>(null, value));
        }
        produce("orders-" + x, orders);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(replay("orders_" + x, "ann")).hasSize(2));
        List<Received> dead = readAll("orders-" + x + "-dlq", 2);
        assertThat(dead)
                .extracting(r -> r.headers().get("virta-reason"))
                .hasSize(2)
                .anySatisfy(reason -> assertThat(reason).containsIgnoringCase("json"))
                .anySatisfy(reason -> assertThat(reason).contains("customer"));
        // The dead-letter topic and the _dlq stream are written at the same time; the offsets are
        // committed once both hold the records, so the stream may lag the topic a moment.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                replay(
                                                        "orders_" + x + "_dlq",
                                                        deadLetterKey("orders-" + x)))
                                        .hasSize(2));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            JsonNode status = node.get("/v1/connectors/orders_in_" + x).body();
                            assertThat(status.path("state").asText()).isEqualTo("running");
                            JsonNode p0 = status.path("partitions").path(0);
                            assertThat(p0.path("deadLettered").asLong()).isEqualTo(2);
                            assertThat(p0.path("committed").asLong(-1)).isEqualTo(4);
                            assertThat(p0.path("lag").asLong(-1)).isZero();
                        });
    }

    @Test
    void aNodeKilledHalfWayThroughATopicLosesNothingAndCountsNothingTwice() throws Exception {
        killedHalfWay("cassandra");
    }

    /**
     * 100,000 records over 1,000 keys feed a per-key count; the node is killed half-way and started
     * again: every key's count is right. With {@code history = 'cassandra'} every event is also
     * found stored exactly once by replaying every key.
     */
    protected void killedHalfWay(String history) throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        int events = 100_000;
        int keys = 1_000;
        createTopic("moves-" + x, 4);
        List<Map.Entry<String, String>> moves = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String key = "k" + (i % keys);
            moves.add(Map.entry(key, "{\"k\": \"%s\", \"i\": %d}".formatted(key, i)));
        }
        produce("moves-" + x, moves);
        sql(
                """
                CREATE STREAM moves_%1$s (k STRING, i INT) WITH (KEY='k');
                CREATE TABLE move_counts_%1$s AS SELECT k, COUNT(*) AS n FROM moves_%1$s GROUP BY k;
                CREATE SOURCE CONNECTOR moves_in_%1$s WITH ('type' = '%3$s', 'servers' = '%2$s',
                  'topic' = 'moves-%1$s', 'stream' = 'moves_%1$s', 'history' = '%4$s');
                """
                        .formatted(x, servers(), type(), history));
        // Half the topic stored per key takes a minute or more on a loaded 2-core CI machine.
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> progress("moves_in_" + x)[0] >= events / 2);

        node.kill();
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> progress("moves_in_" + x)[1] == 0);
        if (history.equals("cassandra")) {
            Set<Long> seen = new HashSet<>();
            for (int k = 0; k < keys; k++) {
                for (JsonNode e : replay("moves_" + x, "k" + k)) {
                    assertThat(seen.add(e.get("payload").get("i").asLong()))
                            .as("event %s stored once", e.get("payload").get("i"))
                            .isTrue();
                }
            }
            assertThat(seen).hasSize(events);
        } else {
            assertThat(node.get("/v1/streams/moves_" + x + "/keys/k0/events").status())
                    .as("records are not stored per key: the stream refuses replays")
                    .isEqualTo(409);
        }
        awaitCounts("move_counts_" + x, keys, events / keys);
    }

    /** Waits until table {@code table} counts {@code each} ({@code n}) for keys k0 to k(keys-1). */
    protected void awaitCounts(String table, int keys, long each) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            for (int k = 0; k < keys; k++) {
                                JsonNode row =
                                        node.get("/v1/tables/" + table + "/keys/k" + k).body();
                                assertThat(row.path("row").path("n").asLong())
                                        .as("count of k%d in %s", k, row)
                                        .isEqualTo(each);
                            }
                        });
    }

    /**
     * {committed, lag} of a source summed over its partitions as its status reports them; lag -1
     * while unknown. With {@code history = 'topic'}, of the pipelines' consumers only (the
     * connector's own group there only dead-letters, and runs ahead).
     */
    protected long[] progress(String connector) {
        JsonNode status = node.get("/v1/connectors/" + connector).body();
        long committed = 0;
        long lag = 0;
        List<JsonNode> counted = new ArrayList<>();
        status.path("partitions").forEach(counted::add);
        if (counted.stream()
                .anyMatch(p -> !p.path("consumer").asText().equals("virta-" + connector))) {
            counted.removeIf(p -> p.path("consumer").asText().equals("virta-" + connector));
        }
        for (JsonNode p : counted) {
            committed += Math.max(0, p.path("committed").asLong(0));
            long partitionLag = p.path("lag").asLong(-1);
            lag = partitionLag < 0 || lag < 0 ? -1 : lag + partitionLag;
        }
        return new long[] {committed, counted.isEmpty() ? -1 : lag};
    }
}
