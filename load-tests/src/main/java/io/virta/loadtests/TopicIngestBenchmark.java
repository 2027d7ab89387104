package io.virta.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.connectors.devservices.EmbeddedKafkaSettings;
import io.virta.connectors.devservices.EmbeddedPulsar;
import io.virta.connectors.devservices.EmbeddedPulsarSettings;
import io.virta.gateway.VirtaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Topic to durable keyed stream: the same events in a Kafka topic and in a Pulsar topic, read into
 * a stream stored per key, one engine after the other in one run, servers started here.
 *
 * <ul>
 *   <li>Kafka Streams ({@code exactly_once_v2}): the topic into a key-value store ({@code toTable},
 *       materialized, logged to its changelog topic, caching off so every record is written): its
 *       durable keyed copy. Done when its group committed every offset.
 *   <li>Virta, Kafka source with {@code history = 'cassandra'}: every record stored under its key
 *       in Cassandra (replayable per key), offsets committed once durable. Done when committed.
 *   <li>Virta, Pulsar source with {@code history = 'cassandra'}: the same, each message
 *       acknowledged once durable. Done when every message is acknowledged.
 * </ul>
 *
 * <p>System properties (defaults): {@code events} (200000), {@code keys} (10000), {@code
 * partitions} (4), {@code engines} ({@code kafka-streams,virta-kafka,virta-pulsar}).
 */
public final class TopicIngestBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicIngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 200_000);
        int keys = Integer.getInteger("keys", 10_000);
        int partitions = Integer.getInteger("partitions", 4);
        String engines = System.getProperty("engines", "kafka-streams,virta-kafka,virta-pulsar");
        for (String dir :
                List.of(
                        "target/bench-cassandra",
                        "target/bench-kafka",
                        "target/bench-pulsar",
                        "target/bench-kafka-streams")) {
            WindowedCountBenchmark.deleteTree(Path.of(dir));
        }
        EmbeddedCassandra cassandra =
                EmbeddedCassandra.start(
                        EmbeddedCassandraSettings.create(
                                        29042, 28042, Path.of("target/bench-cassandra"))
                                .withHeapSizeMiB(1024));
        EmbeddedKafka kafka =
                EmbeddedKafka.start(
                        EmbeddedKafkaSettings.create(29092, 29093, Path.of("target/bench-kafka")));
        String servers = kafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String in = "events-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(WindowedCountBenchmark.keptForever(in, partitions)))
                    .all()
                    .get();
        }
        produceKafka(servers, in, events, keys);
        System.out.printf("Kafka topic %s holds %,d events over %,d keys%n", in, events, keys);

        double ks = Double.NaN;
        double virtaKafka = Double.NaN;
        double virtaPulsar = Double.NaN;
        if (engines.contains("kafka-streams")) {
            ks = events / kafkaStreams(servers, in, run, events);
        }
        VirtaServer server = null;
        EmbeddedPulsar pulsar = null;
        try {
            server = WindowedCountJobs.startVirta(cassandra.contactPoint());
            if (engines.contains("virta-kafka")) {
                virtaKafka =
                        events
                                / timed(
                                        "Virta, Kafka",
                                        server,
                                        """
                                        CREATE STREAM k_%1$s (usr STRING) WITH (KEY='usr');
                                        CREATE SOURCE CONNECTOR k_in_%1$s WITH ('type' = 'kafka',
                                          'servers' = '%2$s', 'topic' = '%3$s',
                                          'stream' = 'k_%1$s', 'history' = 'cassandra');
                                        """
                                                .formatted(run, servers, in),
                                        "k_in_" + run,
                                        events);
            }
            if (engines.contains("virta-pulsar")) {
                pulsar =
                        EmbeddedPulsar.start(
                                EmbeddedPulsarSettings.create(
                                                26650, 28080, 23181, Path.of("target/bench-pulsar"))
                                        .withHeapSizeMiB(1024));
                createPulsarTopic(pulsar.adminUrl(), in, partitions);
                producePulsar(pulsar.serviceUrl(), in, events, keys);
                System.out.printf("Pulsar topic %s holds %,d events%n", in, events);
                virtaPulsar =
                        events
                                / timed(
                                        "Virta, Pulsar",
                                        server,
                                        """
                                        CREATE STREAM p_%1$s (usr STRING) WITH (KEY='usr');
                                        CREATE SOURCE CONNECTOR p_in_%1$s WITH ('type' = 'pulsar',
                                          'servers' = '%2$s', 'topic' = '%3$s',
                                          'stream' = 'p_%1$s', 'admin.url' = '%4$s',
                                          'history' = 'cassandra');
                                        """
                                                .formatted(
                                                        run,
                                                        pulsar.serviceUrl(),
                                                        in,
                                                        pulsar.adminUrl()),
                                        "p_in_" + run,
                                        events);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (pulsar != null) {
                pulsar.close();
            }
        }
        System.out.println();
        System.out.printf(
                "Topic -> durable keyed stream, %,d events over %,d keys, %d partitions%n",
                events, keys, partitions);
        System.out.printf("%-52s %12s %8s%n", "engine", "events/s", "ratio");
        row("Kafka Streams 3.9 exactly_once_v2, topic -> KTable", ks, ks);
        row("Virta, Kafka source, history = 'cassandra'", virtaKafka, ks);
        row("Virta, Pulsar source", virtaPulsar, ks);
        System.out.println("ratio: events/s over Kafka Streams' in this run");
        kafka.close();
        cassandra.close();
        System.exit(0);
    }

    private static void row(String engine, double rate, double peer) {
        System.out.printf("%-52s %,12.0f %8.2f%n", engine, rate, rate / peer);
    }

    private static void produceKafka(String servers, String topic, int events, int keys) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                String key = "u" + (i % keys);
                producer.send(new ProducerRecord<>(topic, key, value(key, i)));
            }
            producer.flush();
        }
    }

    private static String value(String key, int i) {
        return "{\"usr\":\"%s\",\"seq\":%d,\"page\":\"/p/%d\"}".formatted(key, i, i % 97);
    }

    private static void createPulsarTopic(String admin, String topic, int partitions)
            throws Exception {
        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        admin
                                                                + "/admin/v2/persistent/public/default/"
                                                                + topic
                                                                + "/partitions"))
                                        .header("Content-Type", "application/json")
                                        .PUT(HttpRequest.BodyPublishers.ofString("" + partitions))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() / 100 != 2) {
            throw new IllegalStateException("topic not made: " + reply.body());
        }
    }

    private static void producePulsar(String serviceUrl, String topic, int events, int keys)
            throws Exception {
        try (PulsarClient client = PulsarClient.builder().serviceUrl(serviceUrl).build();
                Producer<byte[]> producer =
                        client.newProducer(Schema.BYTES)
                                .topic(topic)
                                .batcherBuilder(BatcherBuilder.KEY_BASED)
                                .maxPendingMessages(10_000)
                                .blockIfQueueFull(true)
                                .create()) {
            List<java.util.concurrent.CompletableFuture<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < events; i++) {
                String key = "u" + (i % keys);
                sent.add(
                        producer.newMessage()
                                .key(key)
                                .value(value(key, i).getBytes(StandardCharsets.UTF_8))
                                .sendAsync());
            }
            producer.flush();
            // Every message acknowledged by the broker, or the run fails here.
            java.util.concurrent.CompletableFuture.allOf(
                            sent.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .join();
        }
    }

    private static double kafkaStreams(String servers, String in, String run, int events)
            throws Exception {
        Properties p = new Properties();
        String app = "bench-ingest-" + run;
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "target/bench-kafka-streams");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
                .toTable(
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("events")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()));
        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p);
                Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            streams.start();
            awaitUntil(
                    "Kafka Streams",
                    events,
                    () -> {
                        try {
                            return admin
                                    .listConsumerGroupOffsets(app)
                                    .partitionsToOffsetAndMetadata()
                                    .get()
                                    .values()
                                    .stream()
                                    .mapToLong(o -> o == null ? 0 : o.offset())
                                    .sum();
                        } catch (Exception e) {
                            return 0;
                        }
                    },
                    started);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Kafka Streams: %,d events in %.1f s%n", events, seconds);
            streams.close(Duration.ofSeconds(30));
            return seconds;
        }
    }

    /** Declares {@code sql} and times until the connector committed {@code events} records. */
    private static double timed(
            String engine, VirtaServer server, String sql, String connector, int events)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.httpPort();
        long started = System.nanoTime();
        HttpResponse<String> reply =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/sql"))
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(sql))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("SQL failed: " + reply.body());
        }
        awaitUntil(
                engine,
                events,
                () -> {
                    try {
                        JsonNode status =
                                JSON.readTree(
                                        http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                base
                                                                                        + "/v1/connectors/"
                                                                                        + connector))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString())
                                                .body());
                        long committed = 0;
                        for (JsonNode partition : status.path("partitions")) {
                            committed += Math.max(0, partition.path("committed").asLong());
                        }
                        return committed;
                    } catch (Exception e) {
                        return 0;
                    }
                },
                started);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %,d events stored in %.1f s%n", engine, events, seconds);
        return seconds;
    }

    /** Polls {@code done} every 100 ms until it reaches {@code events}; 20 minutes at most. */
    private static void awaitUntil(String engine, long events, LongSupplier done, long started)
            throws InterruptedException {
        long deadline = started + Duration.ofMinutes(20).toNanos();
        long lastPrint = started;
        while (true) {
            long n = done.getAsLong();
            if (n >= events) {
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(engine + " reached " + n + " of " + events);
            }
            if (now - lastPrint > 10_000_000_000L) {
                System.out.printf(
                        "[%5.0f s] %s: %,d of %,d%n", (now - started) / 1e9, engine, n, events);
                lastPrint = now;
            }
            Thread.sleep(100);
        }
    }
}
