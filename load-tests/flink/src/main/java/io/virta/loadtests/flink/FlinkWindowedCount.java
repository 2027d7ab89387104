package io.virta.loadtests.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Flink side of {@code WindowedCountBenchmark}: topic to one-minute tumbling count per key
 * (event time, final results only) to topic, on a local MiniCluster in this JVM.
 *
 * <p>Input values are the benchmark's events, {@code {"usr":"u7","ts":"2024-05-01T12:00:00.012Z"}}:
 * the key is {@code usr} and the event time is {@code ts}, an ISO-8601 instant, read from the JSON
 * value as the Kafka Streams and Virta jobs read it. Each result goes to the output topic with key
 * {@code usr} and value {@code {"usr":..,"window_start":<epoch ms>,"n":<count>}}, the format of the
 * Kafka Streams job, so the benchmark checks both with the same code.
 *
 * <p>Watermarks are generated per partition by the Kafka source: the benchmark produces each
 * partition in rising event time, so no out-of-orderness is allowed for. A partition without
 * records for {@link #IDLE_AFTER} stops holding the watermark back. The last minute's window never
 * closes (no later event comes), as with the other engines.
 *
 * <p>The sink is exactly-once: results are written in Kafka transactions that commit when a
 * checkpoint completes (every {@link #CHECKPOINT_INTERVAL}), so a {@code read_committed} consumer
 * sees them only then. The job runs until the JVM is stopped; it prints one line to stdout once
 * submitted, and any failure stops it (no restarts) with a non-zero exit status.
 *
 * <pre>{@code
 * java -cp ... io.virta.loadtests.flink.FlinkWindowedCount 127.0.0.1:29092 clicks-ab12 \
 *     flink-counts-ab12 ab12 2
 * }</pre>
 */
public final class FlinkWindowedCount {
    /** How often a checkpoint commits the sink's transaction. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** How long a partition may go without records before it no longer holds the watermark. */
    static final Duration IDLE_AFTER = Duration.ofSeconds(5);

    /**
     * The sink's Kafka transaction timeout: longer than any checkpoint here, and below the broker's
     * {@code transaction.max.timeout.ms} (15 minutes by default).
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkWindowedCount() {}

    /** One input event: who, and when (epoch milliseconds). */
    public record Click(String usr, long ts) {}

    /** One closed window's result. */
    public record WindowCount(String usr, long windowStart, long n) {}

    /**
     * Runs the job until the JVM is stopped.
     *
     * @param args bootstrap servers, input topic, output topic, run id (names the consumer group
     *     and the transactional id prefix), and optionally the parallelism (default 2)
     * @throws Exception if the job cannot be built or submitted, or fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println(
                    "usage: FlinkWindowedCount <bootstrap servers> <input topic> <output topic>"
                            + " <run id> [parallelism]");
            System.exit(2);
        }
        String servers = args[0];
        String in = args[1];
        String out = args[2];
        String run = args[3];
        int parallelism = args.length > 4 ? Integer.parseInt(args[4]) : 2;

        Configuration config = new Configuration();
        // A failure should end the run, not restart the job forever behind the benchmark's back.
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, config);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());

        KafkaSource<Click> source =
                KafkaSource.<Click>builder()
                        .setBootstrapServers(servers)
                        .setTopics(in)
                        .setGroupId("flink-bench-" + run)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new ClickSchema())
                        .build();
        KafkaSink<WindowCount> sink =
                KafkaSink.<WindowCount>builder()
                        .setBootstrapServers(servers)
                        .setRecordSerializer(new WindowCountSerializer(out))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("flink-bench-" + run)
                        .setProperty(
                                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                String.valueOf(TRANSACTION_TIMEOUT.toMillis()))
                        .build();

        WatermarkStrategy<Click> watermarks =
                WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampAssigner((click, recordTime) -> click.ts())
                        .withIdleness(IDLE_AFTER);
        env.fromSource(source, watermarks, "clicks")
                .keyBy(Click::usr)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new Count(), new WithWindow())
                .sinkTo(sink)
                .name("counts");

        JobClient job = env.executeAsync("windowed-count-" + run);
        System.out.println("FlinkWindowedCount: job " + job.getJobID() + " submitted");
        job.getJobExecutionResult().get();
    }

    /** Parses an event's JSON value. */
    static final class ClickSchema extends AbstractDeserializationSchema<Click> {
        private static final long serialVersionUID = 1L;

        ClickSchema() {
            super(Click.class);
        }

        @Override
        public Click deserialize(byte[] message) throws IOException {
            JsonNode value = JSON.readTree(message);
            return new Click(
                    value.get("usr").asText(),
                    Instant.parse(value.get("ts").asText()).toEpochMilli());
        }
    }

    /** Counts a window's events. */
    static final class Count implements AggregateFunction<Click, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Click click, Long n) {
            return n + 1;
        }

        @Override
        public Long getResult(Long n) {
            return n;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** Pairs a window's count with its key and start. */
    static final class WithWindow
            extends ProcessWindowFunction<Long, WindowCount, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String usr, Context context, Iterable<Long> counts, Collector<WindowCount> out) {
            out.collect(
                    new WindowCount(usr, context.window().getStart(), counts.iterator().next()));
        }
    }

    /** Writes a result as the Kafka Streams job does: key {@code usr}, a JSON value. */
    static final class WindowCountSerializer
            implements KafkaRecordSerializationSchema<WindowCount> {
        private static final long serialVersionUID = 1L;

        private final String topic;

        WindowCountSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                WindowCount result, KafkaSinkContext context, Long timestamp) {
            String value =
                    "{\"usr\":\"%s\",\"window_start\":%d,\"n\":%d}"
                            .formatted(result.usr(), result.windowStart(), result.n());
            return new ProducerRecord<>(
                    topic,
                    result.usr().getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
