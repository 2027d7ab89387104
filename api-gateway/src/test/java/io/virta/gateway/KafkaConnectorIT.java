package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virta.connectors.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector contract against a real Kafka broker, and a producer from outside the JVM (kcat).
 */
@ExtendWith(SharedKafka.class)
class KafkaConnectorIT extends TopicHistoryContract {

    @Override
    protected String type() {
        return "kafka";
    }

    @Override
    protected String servers() {
        return SharedKafka.bootstrapServers();
    }

    @Override
    protected void createTopic(String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    @Override
    protected void produce(String topic, List<Map.Entry<String, String>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (Map.Entry<String, String> r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
            }
            // A record the broker did not take fails here, not later as a confusing count.
            for (Future<RecordMetadata> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    @Override
    protected List<Received> readAll(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Received> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT)
                    .until(
                            () -> {
                                for (ConsumerRecord<String, String> r :
                                        consumer.poll(Duration.ofMillis(500))) {
                                    Map<String, String> headers = new HashMap<>();
                                    for (Header h : r.headers()) {
                                        headers.put(
                                                h.key(),
                                                new String(h.value(), StandardCharsets.UTF_8));
                                    }
                                    out.add(new Received(r.key(), r.value(), headers));
                                }
                                return out.size() >= count;
                            });
        }
        return out;
    }

    @Override
    protected void addPartitions(String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers());
        try (Admin admin = Admin.create(p)) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
        }
    }

    /** Kafka clients look at the topic's partitions again when their metadata ages out. */
    @Override
    protected String quickPartitionDiscovery() {
        return ", 'metadata.max.age.ms' = '1000'";
    }

    @Override
    protected long recordsIn(String topic) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers());
        try (Admin admin = Admin.create(p)) {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                    ends = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                ends.put(
                        new org.apache.kafka.common.TopicPartition(topic, i),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            return admin.listOffsets(ends).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    @Test
    void recordsWrittenByAnOutsideClientKcatAreRead() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        createTopic("visits-" + x, 2);
        sql(
                """
                CREATE STREAM visits_%1$s (usr STRING, page STRING) WITH (KEY='usr');
                CREATE SOURCE CONNECTOR visits_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'visits-%1$s', 'stream' = 'visits_%1$s', 'history' = 'cassandra');
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
