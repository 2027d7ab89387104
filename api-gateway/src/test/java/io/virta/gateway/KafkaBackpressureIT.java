package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.connectors.SharedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backpressure of a Kafka source: with its Cassandra stopped under load, the connector stops
 * pulling (what it has read but not stored stays within a few batches while the topic's backlog
 * grows) and commits nothing; once Cassandra is back it stores the whole backlog, each record once.
 * This class runs its own Cassandra, which it stops.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBackpressureIT {
    private static final int PARTITIONS = 2;

    /** Per partition: the batch being stored and the next one formed (batch-size 500 each). */
    private static final long MOST_IN_FLIGHT = PARTITIONS * 3 * 500L;

    private final String x = UUID.randomUUID().toString().substring(0, 6);
    private EmbeddedCassandraSettings cassandraSettings;
    private EmbeddedCassandra cassandra;
    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        int port = Integer.getInteger("virta.it.cassandra.port", 19042) + 300;
        int storagePort = Integer.getInteger("virta.it.cassandra.storage-port", 19000) + 300;
        Path dataDir =
                Path.of(System.getProperty("virta.it.data-dir", "target/it-data"))
                        .resolve("cassandra-backpressure");
        cassandraSettings = EmbeddedCassandraSettings.create(port, storagePort, dataDir);
        cassandra = EmbeddedCassandra.start(cassandraSettings);
        node =
                TestNode.start(
                                cassandra.contactPoint(),
                                "virta.actors.ask-timeout = 3s\nvirta.connectors.reconcile-interval = 500ms")
                        .awaitCatalog();
        Properties p = new Properties();
        p.put("bootstrap.servers", SharedKafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("load-" + x, PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }
        var reply =
                node.post(
                        "/v1/sql",
                        """
                        CREATE STREAM load_%1$s (k STRING, i INT) WITH (KEY='k');
                        CREATE SOURCE CONNECTOR load_in_%1$s WITH ('type' = 'kafka',
                          'servers' = '%2$s', 'topic' = 'load-%1$s', 'stream' = 'load_%1$s',
                          'history' = 'cassandra');
                        """
                                .formatted(x, SharedKafka.bootstrapServers()),
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (cassandra != null) {
            cassandra.stop();
        }
    }

    private void produce(int from, int to) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                String key = "k" + (i % 200);
                producer.send(
                        new ProducerRecord<>(
                                "load-" + x, key, "{\"k\": \"%s\", \"i\": %d}".formatted(key, i)));
            }
        }
    }

    /** {consumed, committed} summed over partitions, as the connector reports them. */
    private long[] progress() {
        JsonNode status = node.get("/v1/connectors/load_in_" + x).body();
        long consumed = 0;
        long committed = 0;
        for (JsonNode p : status.path("partitions")) {
            consumed += p.path("consumed").asLong(0);
            committed += Math.max(0, p.path("committed").asLong(0));
        }
        return new long[] {consumed, committed};
    }

    @Test
    void withCassandraDownTheSourceStopsPullingAndCatchesUpAfter() {
        produce(0, 5_000);
        await().atMost(Duration.ofSeconds(90)).until(() -> progress()[1] == 5_000);

        cassandra.stop();
        produce(5_000, 25_000);

        // For five seconds on end: nothing committed, and little read ahead of what is stored.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            long[] now = progress();
                            return now[1] == 5_000 && now[0] - now[1] <= MOST_IN_FLIGHT;
                        });

        cassandra = EmbeddedCassandra.start(cassandraSettings);

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> progress()[1] == 25_000);
        long stored = 0;
        for (int k = 0; k < 200; k++) {
            JsonNode events =
                    node.get("/v1/streams/load_" + x + "/keys/k" + k + "/events?limit=1000")
                            .body()
                            .get("events");
            stored += events.size();
            assertThat(events.get(events.size() - 1).get("seq").asLong())
                    .as("k%d stored each record once", k)
                    .isEqualTo(events.size());
        }
        assertThat(stored).isEqualTo(25_000);
    }
}
