package io.virta.loadtests;

import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.gateway.VirtaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
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
 * after the other in one run on one Kafka broker and one Cassandra, both started here; and, when
 * asked, Virta on Pulsar with the same events and job ({@link PulsarWindowedCount}).
 *
 * <p>The topic is filled first; each engine then reads it from the start, and is timed from its
 * start until every window that the events close (all but the last minute) is in its output topic.
 * All parse each value as JSON for its event time. Flink is timed from the launch of its JVM (JVM
 * and MiniCluster start included) until a {@code read_committed} consumer has every result: its
 * transactional sink makes results visible only when the checkpoint after them commits (every
 * second), and that visibility is what is timed, as for Kafka Streams' transactions.
 *
 * <p>System properties (defaults): {@code events} (500000), {@code keys} (10000), {@code minutes}
 * of event time the events span (3), {@code partitions} of every topic (4), {@code cassandraPort}
 * (29042), {@code kafkaPort} (29092), {@code engines} to run, comma-separated, among {@code
 * kafka-streams}, {@code flink}, {@code virta} and {@code virta-pulsar} ({@code
 * kafka-streams,flink,virta}), {@code flinkParallelism} (2). {@code virta-pulsar} is Virta reading
 * and writing Pulsar topics, run after the others; its ratios are to Kafka Streams on Kafka in the
 * same run.
 */
public final class WindowedCountBenchmark {
    private static final Set<String> ENGINES =
            Set.of("kafka-streams", "flink", "virta", "virta-pulsar");

    private WindowedCountBenchmark() {}

    public static void main(String[] args) throws Exception {
        int partitions = Integer.getInteger("partitions", 4);
        WindowedCountEvents events =
                new WindowedCountEvents(
                        Integer.getInteger("events", 500_000),
                        Integer.getInteger("keys", 10_000),
                        Integer.getInteger("minutes", 3));
        Set<String> engines = engines(System.getProperty("engines", "kafka-streams,flink,virta"));
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
        produce(servers, in, events);
        System.out.printf(
                "Topic %s holds %,d events over %,d keys%n", in, events.events(), events.keys());

        double kafkaStreams =
                engines.contains("kafka-streams")
                        ? events.events()
                                / kafkaStreams(servers, in, "ks-counts-" + run, run, events)
                        : Double.NaN;
        double flink =
                engines.contains("flink")
                        ? events.events() / flink(servers, in, "flink-counts-" + run, run, events)
                        : Double.NaN;
        VirtaTimes virtaTimes =
                engines.contains("virta")
                        ? virta(servers, cassandra.contactPoint(), in, run, events)
                        : new VirtaTimes(Double.NaN, Double.NaN);
        VirtaTimes pulsarTimes = new VirtaTimes(Double.NaN, Double.NaN);
        if (engines.contains("virta-pulsar")) {
            // Kafka's part is over: the Pulsar run has Cassandra and its own broker, as each
            // engine before it had Cassandra and Kafka.
            kafka.close();
            try (PulsarWindowedCount pulsar = PulsarWindowedCount.start()) {
                pulsarTimes = pulsar.run(cassandra.contactPoint(), run, partitions, events);
            }
        }
        double virta = events.events() / virtaTimes.fromDeclaration();
        double virtaCold = events.events() / virtaTimes.fromNodeStart();
        double pulsar = events.events() / pulsarTimes.fromDeclaration();
        double pulsarCold = events.events() / pulsarTimes.fromNodeStart();

        System.out.println();
        System.out.printf(
                "Windowed count, topic -> 1-minute tumbling count per key (%,d keys) -> topic,"
                        + " %,d events%n",
                events.keys(), events.events());
        String row = "%-58s %,14.0f%n";
        System.out.printf("%-58s %14s%n", "engine", "events/s");
        System.out.printf(row, "Kafka Streams 3.9 exactly_once_v2", kafkaStreams);
        System.out.printf(row, "Flink 2.2 exactly-once sink", flink);
        System.out.printf(row, "Virta (history = 'topic'), declared on a node up", virta);
        System.out.printf(row, "Virta (history = 'topic'), node start included", virtaCold);
        System.out.printf(row, "Virta Pulsar (history = 'topic'), declared on a node up", pulsar);
        System.out.printf(row, "Virta Pulsar (history = 'topic'), node start included", pulsarCold);
        System.out.printf(
                "ratio Virta / Kafka Streams: %.2f (node start included: %.2f)%n",
                virta / kafkaStreams, virtaCold / kafkaStreams);
        System.out.printf(
                "ratio Virta / Flink: %.2f (node start included: %.2f)%n",
                virta / flink, virtaCold / flink);
        System.out.printf(
                "ratio Virta on Pulsar / Kafka Streams on Kafka: %.2f (node start included:"
                        + " %.2f)%n",
                pulsar / kafkaStreams, pulsarCold / kafkaStreams);
        String section = String.format("Windowed count, topic to topic, %,d keys", events.keys());
        record Figure(String engine, double rate) {}
        for (Figure f :
                List.of(
                        new Figure("Kafka Streams exactly_once_v2", kafkaStreams),
                        new Figure("Flink exactly-once sink", flink),
                        new Figure("Virta history = 'topic', declared on a running node", virta),
                        new Figure("Virta history = 'topic', node start included", virtaCold),
                        new Figure(
                                "Virta on Pulsar, history = 'topic', declared on a running node",
                                pulsar),
                        new Figure(
                                "Virta on Pulsar, history = 'topic', node start included",
                                pulsarCold))) {
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

    /** The engines of a comma-separated list, each one of {@link #ENGINES}. */
    private static Set<String> engines(String list) {
        Set<String> engines = new TreeSet<>();
        for (String engine : list.split(",")) {
            if (!engine.isBlank()) {
                engines.add(engine.trim());
            }
        }
        if (!ENGINES.containsAll(engines)) {
            throw new IllegalArgumentException(
                    "engines must be among " + new TreeSet<>(ENGINES) + ", was " + list);
        }
        return engines;
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

    /**
     * Fills {@code topic} with {@code events}, the record timestamps their event times, in order:
     * one request in flight per connection, so that a retry (a new topic's leader not elected yet
     * answers the first sends with an error) never reorders a partition's events, which a window
     * without grace would count as late.
     */
    private static void produce(String servers, String topic, WindowedCountEvents events)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            events.forEach(
                    (key, time, value) ->
                            producer.send(new ProducerRecord<>(topic, null, time, key, value)));
            producer.flush();
        }
    }

    private static double kafkaStreams(
            String servers, String in, String out, String run, WindowedCountEvents events)
            throws Exception {
        long started = System.nanoTime();
        try (KafkaStreams streams = WindowedCountJobs.kafkaStreams(servers, in, out, run)) {
            awaitRecords(servers, out, events, true, () -> {});
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "Kafka Streams: %,d window results in %.1f s%n",
                    events.closedWindows(), seconds);
            streams.close(Duration.ofSeconds(30));
            return seconds;
        }
    }

    /**
     * Runs the Flink job in its own JVM and times it from launch until a {@code read_committed}
     * consumer has every result, that is until the checkpoint after the last closed window commits
     * the sink's transaction; then stops that JVM.
     */
    private static double flink(
            String servers, String in, String out, String run, WindowedCountEvents events)
            throws Exception {
        int parallelism = Integer.getInteger("flinkParallelism", 2);
        long started = System.nanoTime();
        try (FlinkProcess job =
                WindowedCountJobs.flink(servers, in, out, run, parallelism, started)) {
            awaitRecords(servers, out, events, true, job::checkRunning);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "Flink: %,d window results in %.1f s%n", events.closedWindows(), seconds);
            return seconds;
        }
    }

    /**
     * Virta's two times, in seconds: from the node's start, and from the declaration of the job on
     * the running node, each to the last result.
     */
    record VirtaTimes(double fromNodeStart, double fromDeclaration) {}

    private static VirtaTimes virta(
            String servers, String cassandra, String in, String run, WindowedCountEvents events)
            throws Exception {
        long started = System.nanoTime();
        String out = "virta-counts-" + run;
        try (VirtaServer server = WindowedCountJobs.startVirta(cassandra)) {
            long declared = System.nanoTime();
            System.out.printf("Virta: node up in %.1f s%n", (declared - started) / 1e9);
            WindowedCountJobs.declare(server, servers, in, out, run);
            System.out.printf(
                    "Virta: job declared in %.2f s%n", (System.nanoTime() - declared) / 1e9);
            Thread progress = VirtaProgress.printing(server, "clicks_in_" + run, started);
            awaitRecords(servers, out, events, false, () -> {});
            progress.interrupt();
            long done = System.nanoTime();
            VirtaTimes times = new VirtaTimes((done - started) / 1e9, (done - declared) / 1e9);
            System.out.printf(
                    "Virta: %,d window results in %.1f s from the node's start, %.1f s from the"
                            + " declaration%n",
                    events.closedWindows(), times.fromNodeStart(), times.fromDeclaration());
            return times;
        }
    }

    /**
     * Reads {@code topic} from the start until {@link WindowedCountEvents#closedWindows} records
     * came; fails unless their counts add up ({@link WindowedCountEvents#checkCounts}), or after 20
     * minutes. {@code engineCheck} runs between polls and throws if the engine can no longer
     * deliver.
     */
    private static void awaitRecords(
            String servers,
            String topic,
            WindowedCountEvents events,
            boolean committed,
            Runnable engineCheck)
            throws Exception {
        long expected = events.closedWindows();
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
        events.checkCounts(topic, counted);
    }
}
