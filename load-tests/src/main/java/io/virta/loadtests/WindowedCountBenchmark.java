package io.virta.loadtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.gateway.VirtaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Topic to one-minute tumbling count per key to topic, the same job and events for Kafka Streams
 * ({@code exactly_once_v2}, final results through {@code suppress(untilWindowCloses)}), Flink (a
 * DataStream job on a local MiniCluster with an exactly-once Kafka sink, see {@link FlinkProcess})
 * and Virta (a Kafka source with {@code history = 'topic'}, {@code EMIT FINAL}, a Kafka sink), one
 * after the other in one run on one Kafka broker and one Cassandra, both started here.
 *
 * <p>The topic is filled first; each engine then reads it from the start, and is timed from its
 * start until every window that the events close (all but the last minute) is in its output topic.
 * All parse each value as JSON for its event time. Flink is timed from the launch of its JVM (JVM
 * and MiniCluster start included) until a {@code read_committed} consumer has every result: its
 * transactional sink makes results visible only when the checkpoint after them commits (every
 * second), and that visibility is what is timed, as for Kafka Streams' transactions.
 *
 * <p>System properties (defaults): {@code events} (500000), {@code keys} (10000), {@code minutes}
 * of event time the events span (3), {@code partitions} (4), {@code cassandraPort} (29042), {@code
 * kafkaPort} (29092), {@code engines} to run ({@code kafka-streams,flink,virta}), {@code
 * flinkParallelism} (2).
 */
public final class WindowedCountBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    // Events in the windows that close (all but the last minute), set by produce.
    private static long closedEvents;

    private WindowedCountBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 500_000);
        int keys = Integer.getInteger("keys", 10_000);
        int minutes = Integer.getInteger("minutes", 3);
        int partitions = Integer.getInteger("partitions", 4);
        long expected = (long) keys * (minutes - 1);
        BenchServers benchServers = BenchServers.start();
        EmbeddedCassandra cassandra = benchServers.cassandra();
        EmbeddedKafka kafka = benchServers.kafka();
        String servers = kafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String in = "clicks-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(
                            List.of(
                                    keptForever(in, partitions),
                                    keptForever("ks-counts-" + run, partitions),
                                    keptForever("flink-counts-" + run, partitions),
                                    keptForever("virta-counts-" + run, partitions)))
                    .all()
                    .get();
        }
        produce(servers, in, events, keys, minutes);
        System.out.printf("Topic %s holds %,d events over %,d keys%n", in, events, keys);

        String engines = System.getProperty("engines", "kafka-streams,flink,virta");
        double kafkaStreams =
                engines.contains("kafka-streams")
                        ? events / kafkaStreams(servers, in, "ks-counts-" + run, run, expected)
                        : Double.NaN;
        double flink =
                engines.contains("flink")
                        ? events / flink(servers, in, "flink-counts-" + run, run, expected)
                        : Double.NaN;
        VirtaTimes virtaTimes =
                engines.contains("virta")
                        ? virta(servers, cassandra.contactPoint(), in, run, expected)
                        : new VirtaTimes(Double.NaN, Double.NaN);
        double virta = events / virtaTimes.fromDeclaration();
        double virtaCold = events / virtaTimes.fromNodeStart();

        System.out.println();
        System.out.printf(
                "Windowed count, topic -> 1-minute tumbling count per key (%,d keys) -> topic,"
                        + " %,d events%n",
                keys, events);
        System.out.printf("%-52s %14s%n", "engine", "events/s");
        System.out.printf("%-52s %,14.0f%n", "Kafka Streams 3.9 exactly_once_v2", kafkaStreams);
        System.out.printf("%-52s %,14.0f%n", "Flink 2.2 exactly-once sink", flink);
        System.out.printf(
                "%-52s %,14.0f%n", "Virta (history = 'topic'), declared on a node up", virta);
        System.out.printf(
                "%-52s %,14.0f%n", "Virta (history = 'topic'), node start included", virtaCold);
        System.out.printf(
                "ratio Virta / Kafka Streams: %.2f (node start included: %.2f)%n",
                virta / kafkaStreams, virtaCold / kafkaStreams);
        System.out.printf(
                "ratio Virta / Flink: %.2f (node start included: %.2f)%n",
                virta / flink, virtaCold / flink);
        String section = String.format("Windowed count, topic to topic, %,d keys", keys);
        record Figure(String engine, double rate) {}
        for (Figure f :
                List.of(
                        new Figure("Kafka Streams exactly_once_v2", kafkaStreams),
                        new Figure("Flink exactly-once sink", flink),
                        new Figure("Virta history = 'topic', declared on a running node", virta),
                        new Figure("Virta history = 'topic', node start included", virtaCold))) {
            if (!Double.isNaN(f.rate())) {
                ComparisonRows.add(
                        section,
                        f.engine(),
                        "throughput",
                        f.rate(),
                        "events/s",
                        f.engine().startsWith("Kafka Streams"));
            }
        }
        benchServers.close();
        System.exit(0);
    }

    /**
     * A topic whose records are never deleted: the events carry event times of 2024, and time
     * retention (seven days by default) would delete them mid-run, which moves a consumer's
     * position to the log end as if it had read everything.
     */
    static NewTopic keptForever(String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    /** Fills {@code topic}: key {@code u<n>}, value {@code {"usr":..,"ts":..}}, time rising. */
    private static void produce(String servers, String topic, int events, int keys, int minutes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long start = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        long span = minutes * 60_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                String key = "u" + (i % keys);
                long ts = start + span * i / events;
                if (ts < start + span - 60_000L) {
                    closedEvents++;
                }
                String value =
                        "{\"usr\":\"%s\",\"ts\":\"%s\"}".formatted(key, Instant.ofEpochMilli(ts));
                producer.send(new ProducerRecord<>(topic, null, ts, key, value));
            }
            producer.flush();
        }
    }

    private static double kafkaStreams(
            String servers, String in, String out, String run, long expected) throws Exception {
        long started = System.nanoTime();
        try (KafkaStreams streams = WindowedCountJobs.kafkaStreams(servers, in, out, run)) {
            awaitRecords(servers, out, expected, true, () -> {});
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Kafka Streams: %,d window results in %.1f s%n", expected, seconds);
            streams.close(Duration.ofSeconds(30));
            return seconds;
        }
    }

    /**
     * Runs the Flink job in its own JVM and times it from launch until a {@code read_committed}
     * consumer has every result, that is until the checkpoint after the last closed window commits
     * the sink's transaction; then stops that JVM.
     */
    private static double flink(String servers, String in, String out, String run, long expected)
            throws Exception {
        int parallelism = Integer.getInteger("flinkParallelism", 2);
        long started = System.nanoTime();
        try (FlinkProcess job =
                WindowedCountJobs.flink(servers, in, out, run, parallelism, started)) {
            awaitRecords(servers, out, expected, true, job::checkRunning);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Flink: %,d window results in %.1f s%n", expected, seconds);
            return seconds;
        }
    }

    /**
     * Virta's two times, in seconds: from the node's start, and from the declaration of the job on
     * the running node, each to the last result.
     */
    record VirtaTimes(double fromNodeStart, double fromDeclaration) {}

    private static VirtaTimes virta(
            String servers, String cassandra, String in, String run, long expected)
            throws Exception {
        long started = System.nanoTime();
        String out = "virta-counts-" + run;
        try (VirtaServer server = WindowedCountJobs.startVirta(cassandra)) {
            long declared = System.nanoTime();
            System.out.printf("Virta: node up in %.1f s%n", (declared - started) / 1e9);
            WindowedCountJobs.declare(server, servers, in, out, run);
            System.out.printf(
                    "Virta: job declared in %.2f s%n", (System.nanoTime() - declared) / 1e9);
            String status =
                    "http://127.0.0.1:%d/v1/connectors/clicks_in_%s"
                            .formatted(server.httpPort(), run);
            Thread progress = new Thread(() -> printProgress(status, started, server));
            progress.setDaemon(true);
            progress.start();
            awaitRecords(servers, out, expected, false, () -> {});
            progress.interrupt();
            long done = System.nanoTime();
            VirtaTimes times = new VirtaTimes((done - started) / 1e9, (done - declared) / 1e9);
            System.out.printf(
                    "Virta: %,d window results in %.1f s from the node's start, %.1f s from the"
                            + " declaration%n",
                    expected, times.fromNodeStart(), times.fromDeclaration());
            return times;
        }
    }

    /** Prints the source connector's status every ten seconds, to see where a slow run stands. */
    private static void printProgress(String statusUri, long started, VirtaServer server) {
        HttpClient client = HttpClient.newHttpClient();
        String last = "";
        try {
            while (true) {
                Thread.sleep(Long.getLong("progress", 10) * 1000);
                String body =
                        client.send(
                                        HttpRequest.newBuilder(URI.create(statusUri)).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                String partitions = body.substring(Math.max(0, body.indexOf("\"partitions\"")));
                if (partitions.equals(last) && Boolean.getBoolean("snapshots")) {
                    // No progress in ten seconds: show where each running stream waits.
                    String snapshots = describeStreams(server);
                    java.nio.file.Files.writeString(
                            Path.of("target/stream-snapshots.txt"), snapshots);
                }
                last = partitions;
                System.out.printf(
                        "[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, summary(body));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.out.println("progress: " + e);
        }
    }

    /**
     * Consumed and committed records per consumer group of a connector status, summed over the
     * partitions, or the whole status when it has no partitions.
     */
    static String summary(String status) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "\"consumer\":\"([^\"]+)\",\"partition\":\\d+,\"consumed\":(\\d+),"
                                        + "\"committed\":(\\d+)")
                        .matcher(status);
        java.util.Map<String, long[]> groups = new java.util.TreeMap<>();
        while (m.find()) {
            long[] sums = groups.computeIfAbsent(m.group(1), g -> new long[2]);
            sums[0] += Long.parseLong(m.group(2));
            sums[1] += Long.parseLong(m.group(3));
        }
        if (groups.isEmpty()) {
            return status;
        }
        StringBuilder out = new StringBuilder();
        groups.forEach(
                (group, sums) ->
                        out.append(
                                "%s consumed %,d committed %,d; "
                                        .formatted(group, sums[0], sums[1])));
        return out.toString();
    }

    /** Every running stream's stages and the state of each connection between them. */
    private static String describeStreams(VirtaServer server) throws Exception {
        StringBuilder out = new StringBuilder();
        for (var stream :
                scala.jdk.javaapi.CollectionConverters.asJava(
                        scala.concurrent.Await.result(
                                org.apache.pekko.stream.snapshot.MaterializerState.streamSnapshots(
                                        server.system().classicSystem()),
                                scala.concurrent.duration.Duration.create(10, "seconds")))) {
            out.append(stream.activeInterpreters().size()).append('\n');
            for (var interpreter :
                    scala.jdk.javaapi.CollectionConverters.asJava(stream.activeInterpreters())) {
                for (var c :
                        scala.jdk.javaapi.CollectionConverters.asJava(interpreter.connections())) {
                    out.append("  ")
                            .append(c.out().label())
                            .append(" -> ")
                            .append(c.in().label())
                            .append(": ")
                            .append(c.state())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * Reads {@code topic} from the start until {@code expected} records came; fails unless their
     * counts add up to the events of the closed windows (nothing lost, nothing counted twice).
     * {@code engineCheck} runs between polls and throws if the engine can no longer deliver.
     */
    private static void awaitRecords(
            String servers, String topic, long expected, boolean committed, Runnable engineCheck)
            throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committed ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        long seen = 0;
        long counted = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            topic + " has " + seen + " of " + expected + " records after 20 min");
                }
                engineCheck.run();
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                    counted += WindowedCountJobs.count(record.value());
                }
            }
        }
        if (counted != closedEvents) {
            throw new IllegalStateException(
                    topic + ": window counts add up to " + counted + ", not " + closedEvents);
        }
        System.out.printf("%s: counts add up to %,d events, as they should%n", topic, counted);
    }
}
