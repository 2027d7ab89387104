package io.virta.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.virta.gateway.VirtaServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The one job of the windowed-count harnesses, per engine: topic of {@code
 * {"usr":..,"ts":"<ISO-8601>"}} values to a one-minute tumbling count per {@code usr}, final
 * results only, to a topic. Each result value carries the key, the window's start and the count
 * ({@code usr}, {@code window_start}, {@code n}; Virta's in its own JSON, read by {@link
 * #windowStart} and {@link #count}). Each method returns the job started and reading its input from
 * the start.
 */
final class WindowedCountJobs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WindowedCountJobs() {}

    /**
     * Kafka Streams with {@code exactly_once_v2}: {@code count()} over one-minute tumbling windows
     * without grace, {@code suppress(untilWindowCloses)} for final results.
     */
    static KafkaStreams kafkaStreams(String servers, String in, String out, String run) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + run);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "target/bench-kafka-streams");
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, JsonTime.class);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count()
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .map(
                        (window, n) ->
                                KeyValue.pair(
                                        window.key(),
                                        "{\"usr\":\"%s\",\"window_start\":%d,\"n\":%d}"
                                                .formatted(
                                                        window.key(), window.window().start(), n)))
                .to(out, Produced.with(Serdes.String(), Serdes.String()));
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.start();
        return streams;
    }

    /**
     * Flink's job ({@code FlinkWindowedCount}) in a JVM of its own, with an exactly-once Kafka sink
     * whose transactions commit with each checkpoint (every second).
     */
    static FlinkProcess flink(
            String servers, String in, String out, String run, int parallelism, long started)
            throws IOException {
        return FlinkProcess.start(
                "io.virta.loadtests.flink.FlinkWindowedCount",
                List.of(servers, in, out, run, String.valueOf(parallelism)),
                "flink-windowed-count-" + run,
                started);
    }

    /**
     * A Virta node on {@code cassandra} with the job declared in SQL ({@link #declare}); the source
     * connector is named {@code clicks_in_<run>}.
     */
    static VirtaServer virta(String servers, String cassandra, String in, String out, String run)
            throws IOException, InterruptedException {
        VirtaServer server = startVirta(cassandra);
        try {
            declare(server, servers, in, out, run);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * A Virta node on {@code cassandra} (ephemeral HTTP and cluster ports), nothing declared yet.
     */
    static VirtaServer startVirta(String cassandra) {
        return startVirta(cassandra, "");
    }

    /**
     * As {@link #startVirta(String)}, but keeping its journal and snapshots in the keyspaces {@code
     * <keyspace>} and {@code <keyspace>_snapshot}: a node started on the Cassandra of an earlier
     * node would otherwise read that node's catalog and start its jobs too, beside the one timed.
     */
    static VirtaServer startVirta(String cassandra, String keyspace) {
        String keyspaces =
                keyspace.isEmpty()
                        ? ""
                        : ("pekko.persistence.cassandra.journal.keyspace = \"%1$s\"\n"
                                        + "pekko.persistence.cassandra.snapshot.keyspace ="
                                        + " \"%1$s_snapshot\"\n")
                                .formatted(keyspace);
        return VirtaServer.start(
                ConfigFactory.parseString(
                                keyspaces
                                        + "virta.gateway.http.port = 0\n"
                                        + "pekko.remote.artery.canonical.port = 0\n"
                                        + "virta.cassandra.contact-points = \""
                                        + cassandra
                                        + "\"")
                        .withFallback(ConfigFactory.load()));
    }

    /** A connector's options naming Kafka on {@code servers}, as they go into {@link #declare}. */
    static String kafkaOptions(String servers) {
        return "'type' = 'kafka', 'servers' = '%s'".formatted(servers);
    }

    /**
     * Declares the job on {@code server} in SQL with Kafka connectors on {@code servers}: {@link
     * #declare(VirtaServer, String, String, String, String, String)} with {@link #kafkaOptions}.
     */
    static void declare(VirtaServer server, String servers, String in, String out, String run)
            throws IOException, InterruptedException {
        declare(server, kafkaOptions(servers), kafkaOptions(servers), in, out, run);
    }

    /**
     * Declares the job on {@code server} in SQL: a source connector from topic {@code in} and a
     * sink connector to topic {@code out}, both with {@code history = 'topic'} (the topics are the
     * streams' logs, as for Kafka Streams), {@code EMIT FINAL}. The source connector is named
     * {@code clicks_in_<run>}.
     *
     * @param sourceOptions the source's options naming its broker, as SQL ({@code 'type' = ..,
     *     'servers' = ..} and whatever else that type needs), for example {@link #kafkaOptions}
     * @param sinkOptions the same for the sink
     * @throws IllegalStateException if the node refuses the SQL
     */
    static void declare(
            VirtaServer server,
            String sourceOptions,
            String sinkOptions,
            String in,
            String out,
            String run)
            throws IOException, InterruptedException {
        String sql =
                """
                CREATE STREAM clicks_%1$s (usr STRING, ts TIMESTAMP)
                  WITH (KEY='usr', TIMESTAMP='ts');
                CREATE TABLE per_min_%1$s AS
                  SELECT usr, WINDOWSTART AS window_start, COUNT(*) AS n FROM clicks_%1$s
                  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;
                CREATE SINK CONNECTOR counts_out_%1$s WITH (%3$s,
                  'topic' = '%5$s', 'stream' = 'per_min_%1$s', 'history' = 'topic');
                CREATE SOURCE CONNECTOR clicks_in_%1$s WITH (%2$s,
                  'topic' = '%4$s', 'stream' = 'clicks_%1$s', 'history' = 'topic');
                """
                        .formatted(run, sourceOptions, sinkOptions, in, out);
        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + server.httpPort()
                                                                + "/v1/sql"))
                                        .header("Content-Type", "text/plain")
                                        .POST(HttpRequest.BodyPublishers.ofString(sql))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("SQL failed: " + reply.body());
        }
    }

    /** The key in a result value: its field {@code usr}, whatever its case. */
    static String user(String value) throws IOException {
        return field(value, "usr").asText();
    }

    /** The count in a result value: its field {@code n}, whatever its case. */
    static long count(String value) throws IOException {
        return field(value, "n").asLong();
    }

    /**
     * The window start in a result value, epoch milliseconds: field {@code window_start}, whatever
     * its case, a number or an ISO-8601 instant.
     */
    static long windowStart(String value) throws IOException {
        JsonNode start = field(value, "window_start");
        return start.isNumber() ? start.asLong() : Instant.parse(start.asText()).toEpochMilli();
    }

    private static JsonNode field(String value, String name) throws IOException {
        var fields = JSON.readTree(value).fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        throw new IllegalStateException("no " + name + " in " + value);
    }

    /** Reads the event time from the JSON value, as Virta does. */
    public static final class JsonTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            try {
                return Instant.parse(JSON.readTree((String) record.value()).get("ts").asText())
                        .toEpochMilli();
            } catch (Exception e) {
                return partitionTime;
            }
        }
    }
}
