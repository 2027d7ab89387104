package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virta.connectors.SharedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded broker against real kafka-clients 3.9.x, the version the connectors use: topics,
 * produce, consume in a group, restart with data kept, reuse, and loud start failures.
 */
@ExtendWith(SharedKafka.class)
class EmbeddedKafkaIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void producedRecordsAreConsumedBackInAGroup() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String topic = "roundtrip-" + UUID.randomUUID();
        createTopic(bootstrap, topic, 3);
        List<String> sent = values("r", 100);

        produce(bootstrap, topic, sent);

        assertThat(consumeAll(bootstrap, topic, sent.size()))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aRestartedBrokerKeepsItsClusterTopicsAndRecords() throws Exception {
        EmbeddedKafkaSettings settings = ownBroker("kafka-restart");
        String topic = "durable";
        List<String> sent = values("d", 50);
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.start(settings)) {
            assertThat(first.ownsProcess()).isTrue();
            clusterId = clusterId(first.bootstrapServers());
            createTopic(first.bootstrapServers(), topic, 2);
            produce(first.bootstrapServers(), topic, sent);
        }
        assertThat(new KafkaProbe(settings.port()).acceptsConnections()).isFalse();

        try (EmbeddedKafka second = EmbeddedKafka.start(settings)) {
            assertThat(second.ownsProcess()).isTrue();
            assertThat(clusterId(second.bootstrapServers())).isEqualTo(clusterId);
            assertThat(consumeAll(second.bootstrapServers(), topic, sent.size()))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void aBrokerAnsweringOnThePortIsReusedAndLeftRunning() {
        EmbeddedKafka reused = EmbeddedKafka.start(SharedKafka.settings());

        assertThat(reused.ownsProcess()).isFalse();
        reused.stop();
        assertThat(new KafkaProbe(SharedKafka.settings().port()).clusterId(Duration.ofSeconds(5)))
                .isPresent();
    }

    @Test
    void aPortTakenBySomethingElseIsRefused() throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmbeddedKafkaSettings settings =
                    ownBroker("kafka-squatted").withPort(squatter.getLocalPort());

            assertThatThrownBy(() -> EmbeddedKafka.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not answer as a Kafka broker");
        }
    }

    @Test
    void aBrokerThatCannotStartFailsWithTheTailOfItsLog() throws IOException {
        EmbeddedKafkaSettings settings = ownBroker("kafka-failing");
        // The controller port is busy, so the broker cannot bind it and exits during startup.
        try (ServerSocket squatter =
                new ServerSocket(settings.controllerPort(), 50, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(() -> EmbeddedKafka.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka on " + settings.bootstrapServers())
                    .hasMessageContaining("errors in")
                    .hasMessageContaining(String.valueOf(settings.controllerPort()));
        }
        assertThat(new KafkaProbe(settings.port()).acceptsConnections()).isFalse();
    }

    /**
     * A broker of this test's own, from an empty directory, on two ports that are free now. Not
     * fixed ports: another worktree running this test at the same time would otherwise share, or
     * fight over, the same broker.
     */
    private static EmbeddedKafkaSettings ownBroker(String directory) throws IOException {
        EmbeddedKafkaSettings settings;
        try (ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket controller =
                        new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            settings =
                    EmbeddedKafkaSettings.create(
                            client.getLocalPort(),
                            controller.getLocalPort(),
                            SharedKafka.dataRoot().resolve(directory));
        }
        SharedKafka.deleteRecursively(settings.dataDirectory());
        return settings;
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static String clusterId(String bootstrap) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static void createTopic(String bootstrap, String topic, int partitions)
            throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends every value with acks=all and waits for each acknowledgement. */
    private static void produce(String bootstrap, String topic, List<String> values)
            throws Exception {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<?>> acks = new ArrayList<>();
            for (String value : values) {
                acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
            }
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Consumes from the beginning in a fresh group until {@code expected} records arrived, then
     * polls once more so that duplicates or extra records would show up in the result too.
     */
    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            // The consumer is single-threaded: poll it on this thread only.
            await().atMost(CLIENT_TIMEOUT)
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(
                            () -> {
                                poll(consumer, received);
                                return received.size() >= expected;
                            });
            poll(consumer, received);
        }
        return received;
    }

    private static void poll(KafkaConsumer<String, String> consumer, List<String> into) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            into.add(record.value());
        }
    }
}
