package io.virta.loadtests;

import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.connectors.devservices.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end latency of the windowed count ({@link WindowedCountJobs}: one-minute tumbling count
 * per key, final results only, topic to topic) at a fixed rate below every engine's capacity, for
 * Kafka Streams ({@code exactly_once_v2}), Flink (exactly-once sink) and Virta ({@code history =
 * 'topic'} on both sides), one after the other on one Kafka broker and one Cassandra.
 *
 * <p>For each engine: the job starts on empty topics, then a producer here writes {@code rate}
 * events a second, round-robin over {@code keys} keys, each stamped with the wall clock as its
 * event time, so a window {@code [s, s + 1 min)} can close as soon as the clock passes {@code s + 1
 * min}. A {@code read_committed} consumer takes every result as it becomes visible; a result's
 * latency is the time it was received minus its window's end: the delay a user waits for a closed
 * window's count, watermark, checkpoint or transaction commit and delivery included. Measured are
 * the {@code windows} whole windows that start at least 30 seconds after the producer (the engine
 * has started and caught up by then); every result must carry the count of events produced for its
 * key and window, or the run fails; an engine whose results do not all come within three minutes of
 * the last window's end is reported incomplete, with no figure.
 *
 * <p>Not the same thing as {@link WindowedCountBenchmark}'s throughput (a full topic read as fast
 * as possible): here each engine has more capacity than the rate needs, and what differs is how
 * soon a result is out once its window closed.
 *
 * <p>System properties (defaults): {@code rate} events/s (5000), {@code keys} (10000), {@code
 * windows} measured (2), {@code partitions} (4), {@code cassandraPort} (29042), {@code kafkaPort}
 * (29092), {@code engines} ({@code kafka-streams,flink,virta}), {@code flinkParallelism} (2).
 */
public final class WindowedCountLatencyBenchmark {
    private static final long MINUTE = 60_000L;
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(3);

    private WindowedCountLatencyBenchmark() {}

    /** One engine's job, running while open. */
    private interface Job extends AutoCloseable {
        /** Throws if the job can no longer deliver. */
        default void check() {}
    }

    /**
     * Latencies in milliseconds of one engine's measured results, the rate it was fed, and how many
     * results did not come within the timeout.
     */
    record Measured(long[] latencies, double rate, long missing) {
        long quantile(double q) {
            return Percentiles.nearestRank(latencies, q);
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("rate", 5_000);
        int keys = Integer.getInteger("keys", 10_000);
        int windows = Integer.getInteger("windows", 2);
        int partitions = Integer.getInteger("partitions", 4);
        String engines = System.getProperty("engines", "kafka-streams,flink,virta");
        BenchServers benchServers = BenchServers.start();
        EmbeddedCassandra cassandra = benchServers.cassandra();
        EmbeddedKafka kafka = benchServers.kafka();
        String servers = kafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, Measured> results = new java.util.LinkedHashMap<>();
        int flinkParallelism = Integer.getInteger("flinkParallelism", 2);
        for (String engine : List.of("kafka-streams", "flink", "virta")) {
            if (!engines.contains(engine)) {
                continue;
            }
            String id = engine.replace("-", "") + run;
            String in = "lat-in-" + id;
            String out = "lat-out-" + id;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
                admin.createTopics(
                                List.of(
                                        WindowedCountBenchmark.keptForever(in, partitions),
                                        WindowedCountBenchmark.keptForever(out, partitions)))
                        .all()
                        .get();
            }
            long started = System.nanoTime();
            Job job =
                    switch (engine) {
                        case "kafka-streams" -> {
                            KafkaStreams streams =
                                    WindowedCountJobs.kafkaStreams(servers, in, out, id);
                            yield () -> streams.close(Duration.ofSeconds(30));
                        }
                        case "flink" -> {
                            FlinkProcess flink =
                                    WindowedCountJobs.flink(
                                            servers, in, out, id, flinkParallelism, started);
                            yield new Job() {
                                @Override
                                public void check() {
                                    flink.checkRunning();
                                }

                                @Override
                                public void close() {
                                    flink.close();
                                }
                            };
                        }
                        default -> {
                            var server =
                                    WindowedCountJobs.virta(
                                            servers, cassandra.contactPoint(), in, out, id);
                            yield server::close;
                        }
                    };
            try (job) {
                Measured m = measure(servers, in, out, rate, keys, windows, job);
                results.put(engine, m);
                System.out.printf(
                        "%s: %,d results, latency p50 %,d ms, p99 %,d ms, max %,d ms at %,.0f"
                                + " events/s%n",
                        engine,
                        m.latencies().length,
                        m.quantile(0.5),
                        m.quantile(0.99),
                        m.quantile(1.0),
                        m.rate());
            }
        }
        report(results, rate, keys);
        benchServers.close();
        System.exit(0);
    }

    private static void report(Map<String, Measured> results, int rate, int keys) {
        System.out.println();
        System.out.printf(
                "Windowed count latency, 1-minute tumbling count per key (%,d keys) at %,d"
                        + " events/s, result received minus window end%n",
                keys, rate);
        System.out.printf("%-34s %10s %10s %10s%n", "engine", "p50 ms", "p99 ms", "max ms");
        String section =
                String.format("Windowed count latency at %,d events/s, %,d keys", rate, keys);
        Map<String, String> names =
                Map.of(
                        "kafka-streams", "Kafka Streams exactly_once_v2",
                        "flink", "Flink exactly-once sink",
                        "virta", "Virta history = 'topic'");
        results.forEach(
                (engine, m) -> {
                    if (m.missing() > 0) {
                        System.out.printf(
                                "%-34s incomplete: %,d results missing after the timeout, no"
                                        + " figure%n",
                                names.get(engine), m.missing());
                        return;
                    }
                    System.out.printf(
                            "%-34s %,10d %,10d %,10d%n",
                            names.get(engine), m.quantile(0.5), m.quantile(0.99), m.quantile(1.0));
                    for (double q : new double[] {0.5, 0.99}) {
                        ComparisonRows.add(
                                section,
                                names.get(engine),
                                q == 0.5 ? "p50 latency" : "p99 latency",
                                m.quantile(q),
                                "ms",
                                engine.equals("kafka-streams"));
                    }
                });
    }

    /**
     * Produces at {@code rate} until every result of the measured windows came or {@link
     * #RESULTS_TIMEOUT} passed after the last one closed; returns their latencies.
     *
     * @throws IllegalStateException if a result is missing or wrong, or the job failed
     */
    private static Measured measure(
            String servers, String in, String out, int rate, int keys, int windows, Job job)
            throws Exception {
        long producing = System.currentTimeMillis();
        long first = ((producing + WARM_UP.toMillis()) / MINUTE + 1) * MINUTE;
        long end = first + windows * MINUTE;
        // Events produced per measured window and key.
        Map<Long, int[]> produced = new ConcurrentHashMap<>();
        for (long w = first; w < end; w += MINUTE) {
            produced.put(w, new int[keys]);
        }
        Map<String, Long> latencies = new ConcurrentHashMap<>();
        Map<String, Long> counts = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long[] sent = new long[1];
        Thread producer =
                new Thread(
                        () -> {
                            try {
                                sent[0] = produce(servers, in, rate, keys, produced, stop);
                            } catch (Exception e) {
                                failed.set(e);
                            }
                        },
                        "latency-producer");
        Thread consumer =
                new Thread(
                        () -> {
                            try {
                                consume(servers, out, first, end, latencies, counts, stop);
                            } catch (Exception e) {
                                failed.set(e);
                            }
                        },
                        "latency-consumer");
        consumer.start();
        producer.start();
        long expected = (long) keys * windows;
        long deadline = end + RESULTS_TIMEOUT.toMillis();
        System.out.printf(
                "measuring windows from %s to %s%n",
                Instant.ofEpochMilli(first), Instant.ofEpochMilli(end));
        while (latencies.size() < expected
                && System.currentTimeMillis() < deadline
                && failed.get() == null) {
            job.check();
            Thread.sleep(200);
        }
        stop.set(true);
        producer.join();
        consumer.join();
        double seconds = (System.currentTimeMillis() - producing) / 1000.0;
        if (failed.get() != null) {
            throw new IllegalStateException("the run failed", failed.get());
        }
        long missing = expected - latencies.size();
        if (missing > 0) {
            // Reported, not thrown: one engine's stall should not hide the others' figures.
            System.out.printf(
                    "INCOMPLETE: %,d of %,d results came within the timeout%n",
                    latencies.size(), expected);
        }
        List<String> wrong = new ArrayList<>();
        counts.forEach(
                (window, n) -> {
                    String[] parts = window.split("@");
                    int key = Integer.parseInt(parts[0].substring(1));
                    int want = produced.get(Long.parseLong(parts[1]))[key];
                    if (n != want) {
                        wrong.add(window + " counted " + n + ", produced " + want);
                    }
                });
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(
                    wrong.size() + " wrong counts, for example " + wrong.get(0));
        }
        return new Measured(
                latencies.values().stream().mapToLong(Long::longValue).toArray(),
                sent[0] / seconds,
                missing);
    }

    /**
     * Sends {@code rate} events a second until {@code stop}, event time = the wall clock; counts
     * those of the measured windows in {@code produced}. Returns how many it sent.
     */
    private static long produce(
            String servers,
            String topic,
            int rate,
            int keys,
            Map<Long, int[]> produced,
            AtomicBoolean stop)
            throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        long startNanos = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            while (!stop.get()) {
                long due = (System.nanoTime() - startNanos) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    int key = (int) (sent % keys);
                    long ts = System.currentTimeMillis();
                    int[] window = produced.get(ts - ts % MINUTE);
                    if (window != null) {
                        window[key]++;
                    }
                    String usr = "u" + key;
                    String value =
                            "{\"usr\":\"%s\",\"ts\":\"%s\"}"
                                    .formatted(usr, Instant.ofEpochMilli(ts));
                    producer.send(new ProducerRecord<>(topic, null, ts, usr, value));
                }
                // Pacing, not synchronisation: the next few milliseconds' events go together.
                Thread.sleep(2);
            }
        }
        return sent;
    }

    /**
     * Reads every result with {@code read_committed} until {@code stop}; keeps, per result of a
     * window starting in {@code [first, end)}, its latency (received minus window end) and count.
     */
    private static void consume(
            String servers,
            String topic,
            long first,
            long end,
            Map<String, Long> latencies,
            Map<String, Long> counts,
            AtomicBoolean stop)
            throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<String, Long> repeats = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(50));
                long received = System.currentTimeMillis();
                for (var record : records) {
                    long start = WindowedCountJobs.windowStart(record.value());
                    if (start < first || start >= end) {
                        continue;
                    }
                    String window = WindowedCountJobs.user(record.value()) + "@" + start;
                    long n = WindowedCountJobs.count(record.value());
                    Long before = counts.putIfAbsent(window, n);
                    if (before != null) {
                        // An exact repeat (Virta's sink after a retry) is not a second result.
                        repeats.merge(window, 1L, Long::sum);
                        if (before != n) {
                            throw new IllegalStateException(
                                    window + " came twice, counted " + before + " and " + n);
                        }
                        continue;
                    }
                    latencies.put(window, received - (start + MINUTE));
                }
            }
        }
        if (!repeats.isEmpty()) {
            System.out.printf("%,d results came more than once (exact repeats)%n", repeats.size());
        }
    }
}
