package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.connectors.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka connectors against a real broker and a real Cassandra: topic to stream to window pipeline
 * to topic, poison records to the dead-letter topic and stream, and a node killed half-way through
 * a topic without an event lost or counted twice.
 */
@ExtendWith({SharedCassandra.class, SharedKafka.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaConnectorIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CRASHABLE =
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n"
                    + "virta.connectors.reconcile-interval = 500ms";

    private TestNode node;

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static String servers() {
        return SharedKafka.bootstrapServers();
    }

    private void sql(String script) {
        var reply = node.post("/v1/sql", script, "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Everything in {@code topic} from the start, read until {@code count} records came. */
    private static List<ConsumerRecord<String, String>> readAll(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT)
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                                return out.size() >= count;
                            });
        }
        return out;
    }

    private List<JsonNode> replay(String stream, String key) {
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
                CREATE SOURCE CONNECTOR clicks_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'clicks-%1$s', 'stream' = 'clicks_%1$s');
                CREATE SINK CONNECTOR counts_out_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'counts-%1$s', 'stream' = 'per_min_%1$s');
                """
                        .formatted(x, servers()));
        try (KafkaProducer<String, String> producer = producer()) {
            for (String[] click :
                    new String[][] {
                        {"ann", "12:00:01"},
                        {"bob", "12:00:05"},
                        {"ann", "12:00:30"},
                        {"ann", "12:01:10"},
                        {"bob", "12:01:20"}
                    }) {
                producer.send(
                        new ProducerRecord<>(
                                "clicks-" + x,
                                click[0],
                                "{\"usr\": \"%s\", \"ts\": \"2024-05-01T%sZ\"}"
                                        .formatted(click[0], click[1])));
            }
        }

        List<ConsumerRecord<String, String>> counts = readAll("counts-" + x, 4);

        Map<String, List<Long>> byUser = new HashMap<>();
        for (ConsumerRecord<String, String> r : counts) {
            byUser.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(TestNode.json(r.value()).get("n").asLong());
            assertThat(r.headers().lastHeader("virta-event-id")).isNotNull();
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
                CREATE SOURCE CONNECTOR orders_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'orders-%1$s', 'stream' = 'orders_%1$s');
                """
                        .formatted(x, servers()));
        try (KafkaProducer<String, String> producer = producer()) {
            for (String value :
                    List.of(
                            "{\"customer\": \"ann\", \"amount\": 1}",
                            "{not json",
                            "{\"amount\": 2}",
                            "{\"customer\": \"ann\", \"amount\": 3}")) {
                producer.send(new ProducerRecord<>("orders-" + x, value));
            }
        }

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(replay("orders_" + x, "ann")).hasSize(2));
        List<ConsumerRecord<String, String>> dead = readAll("orders-" + x + "-dlq", 2);
        assertThat(dead)
                .extracting(
                        r ->
                                new String(
                                        r.headers().lastHeader("virta-reason").value(),
                                        StandardCharsets.UTF_8))
                .hasSize(2)
                .anySatisfy(reason -> assertThat(reason).containsIgnoringCase("json"))
                .anySatisfy(reason -> assertThat(reason).contains("customer"));
        assertThat(replay("orders_" + x + "_dlq", "orders-" + x + "-0")).hasSize(2);
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
        String x = UUID.randomUUID().toString().substring(0, 6);
        int events = 100_000;
        int keys = 1_000;
        createTopic("moves-" + x, 4);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < events; i++) {
                String key = "k" + (i % keys);
                producer.send(
                        new ProducerRecord<>(
                                "moves-" + x, key, "{\"k\": \"%s\", \"i\": %d}".formatted(key, i)));
            }
        }
        sql(
                """
                CREATE STREAM moves_%1$s (k STRING, i INT) WITH (KEY='k');
                CREATE TABLE move_counts_%1$s AS SELECT k, COUNT(*) AS n FROM moves_%1$s GROUP BY k;
                CREATE SOURCE CONNECTOR moves_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'moves-%1$s', 'stream' = 'moves_%1$s');
                """
                        .formatted(x, servers()));
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> committed("moves_in_" + x) >= events / 2);

        node.kill();
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> committed("moves_in_" + x) == events);
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < keys; k++) {
            for (JsonNode e : replay("moves_" + x, "k" + k)) {
                assertThat(seen.add(e.get("payload").get("i").asLong()))
                        .as("event %s stored once", e.get("payload").get("i"))
                        .isTrue();
            }
        }
        assertThat(seen).hasSize(events);
        await().atMost(WAIT)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            for (int k = 0; k < keys; k++) {
                                JsonNode row =
                                        node.get("/v1/tables/move_counts_" + x + "/keys/k" + k)
                                                .body();
                                assertThat(row.path("row").path("n").asLong())
                                        .as("count of k%d", k)
                                        .isEqualTo(events / keys);
                            }
                        });
    }

    /** The offsets the source has committed, summed over its partitions (-1 while unknown). */
    private long committed(String connector) {
        JsonNode status = node.get("/v1/connectors/" + connector).body();
        long total = 0;
        for (JsonNode p : status.path("partitions")) {
            total += Math.max(0, p.path("committed").asLong(0));
        }
        return status.path("partitions").size() == 0 ? -1 : total;
    }

    @Test
    void recordsWrittenByAnOutsideClientKcatAreRead() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("visits-" + x, 2);
        sql(
                """
                CREATE STREAM visits_%1$s (usr STRING, page STRING) WITH (KEY='usr');
                CREATE SOURCE CONNECTOR visits_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'visits-%1$s', 'stream' = 'visits_%1$s');
                """
                        .formatted(x, servers()));

        Kcat.produce(
                servers(),
                "visits-" + x,
                List.of(
                        "ann:{\"usr\": \"ann\", \"page\": \"home\"}",
                        "ann:{\"usr\": \"ann\", \"page\": \"cart\"}",
                        "bob:{\"usr\": \"bob\", \"page\": \"help\"}"));

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(replay("visits_" + x, "ann"))
                                    .extracting(e -> e.get("payload").get("page").asText())
                                    .containsExactly("home", "cart");
                            assertThat(replay("visits_" + x, "bob")).hasSize(1);
                        });
    }
}
