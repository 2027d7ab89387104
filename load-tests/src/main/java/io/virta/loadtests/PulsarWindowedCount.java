package io.virta.loadtests;

import io.virta.connectors.devservices.EmbeddedPulsar;
import io.virta.connectors.devservices.EmbeddedPulsarSettings;
import io.virta.gateway.VirtaServer;
import io.virta.loadtests.WindowedCountBenchmark.VirtaTimes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;

/**
 * The {@code virta-pulsar} engine of {@link WindowedCountBenchmark}: the same events and job as its
 * Virta run, on Pulsar topics. A Pulsar source with {@code history = 'topic'} reads {@code
 * clicks-<run>}, {@code EMIT FINAL}, a Pulsar sink with {@code history = 'topic'} writes {@code
 * virta-counts-<run>}; Virta is timed as on Kafka, from its node's start and from the declaration
 * until a Pulsar consumer has read every result.
 *
 * <p>Pulsar standalone runs in its own JVM (1 GiB heap) on ports 26650 (binary), 28080 (admin) and
 * 23181 (bookie), from an empty {@code target/bench-pulsar}, started by {@link #start} and stopped
 * by {@link #close} or, at the latest, when the JVM exits.
 */
final class PulsarWindowedCount implements AutoCloseable {
    private static final Path DATA = Path.of("target/bench-pulsar");

    private final EmbeddedPulsar pulsar;

    private PulsarWindowedCount(EmbeddedPulsar pulsar) {
        this.pulsar = pulsar;
    }

    /** Starts Pulsar standalone and returns once its admin API answers. */
    static PulsarWindowedCount start() throws java.io.IOException {
        WindowedCountBenchmark.deleteTree(DATA);
        return new PulsarWindowedCount(
                EmbeddedPulsar.start(
                                EmbeddedPulsarSettings.create(26650, 28080, 23181, DATA)
                                        .withHeapSizeMiB(1024))
                        .stopOnJvmExit());
    }

    /**
     * Creates the topics ({@code partitions} each), fills {@code clicks-<run>} with {@code events},
     * then starts a Virta node on {@code cassandra} and declares the job on it.
     *
     * @return Virta's times to the last result, from its node's start and from the declaration
     * @throws IllegalStateException if the results do not add up or are not all there within 20
     *     minutes, or if the node refuses the job
     */
    VirtaTimes run(String cassandra, String run, int partitions, WindowedCountEvents events)
            throws Exception {
        String in = "clicks-" + run;
        String out = "virta-counts-" + run;
        keepForever();
        createTopic(in, partitions);
        createTopic(out, partitions);
        produce(in, events);
        System.out.printf("Pulsar topic %s holds %,d events%n", in, events.events());

        long started = System.nanoTime();
        // Keyspaces of its own: a Kafka run's node left its job in the default ones.
        try (VirtaServer server = WindowedCountJobs.startVirta(cassandra, "virta_pulsar")) {
            long declared = System.nanoTime();
            System.out.printf("Virta on Pulsar: node up in %.1f s%n", (declared - started) / 1e9);
            String broker = "'type' = 'pulsar', 'servers' = '%s'".formatted(pulsar.serviceUrl());
            WindowedCountJobs.declare(
                    server,
                    broker + ", 'admin.url' = '%s'".formatted(pulsar.adminUrl()),
                    broker,
                    in,
                    out,
                    run);
            System.out.printf(
                    "Virta on Pulsar: job declared in %.2f s%n",
                    (System.nanoTime() - declared) / 1e9);
            Thread progress = VirtaProgress.printing(server, "clicks_in_" + run, started);
            try {
                awaitResults(out, events);
            } finally {
                progress.interrupt();
            }
            long done = System.nanoTime();
            VirtaTimes times = new VirtaTimes((done - started) / 1e9, (done - declared) / 1e9);
            System.out.printf(
                    "Virta on Pulsar: %,d window results in %.1f s from the node's start, %.1f s"
                            + " from the declaration%n",
                    events.closedWindows(), times.fromNodeStart(), times.fromDeclaration());
            return times;
        }
    }

    /** Stops Pulsar. */
    @Override
    public void close() {
        pulsar.close();
    }

    /**
     * Keeps every message of the namespace {@code public/default}, read or not: Pulsar's default
     * retention drops what no subscription still needs once its ledger rolls over, which would take
     * events from under a reader that starts later, as Kafka's time retention did (see {@link
     * WindowedCountBenchmark#keptForever}).
     */
    private void keepForever() throws Exception {
        admin(
                "/admin/v2/namespaces/public/default/retention",
                "POST",
                "{\"retentionTimeInMinutes\":-1,\"retentionSizeInMB\":-1}");
    }

    private void createTopic(String topic, int partitions) throws Exception {
        admin(
                "/admin/v2/persistent/public/default/" + topic + "/partitions",
                "PUT",
                String.valueOf(partitions));
    }

    /** Sends {@code json} to the admin REST API; fails unless Pulsar answers 2xx. */
    private void admin(String path, String method, String json) throws Exception {
        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(pulsar.adminUrl() + path))
                                        .header("Content-Type", "application/json")
                                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    method + " " + path + ": " + reply.statusCode() + " " + reply.body());
        }
    }

    /**
     * Fills {@code topic} with {@code events}: message key the event's key, event time its time.
     * Batched as the Kafka topic is (up to 20 ms or 256 KiB, keys mixed), not by key: {@code
     * history = 'topic'} reads each partition with one Failover consumer, so no {@code Key_Shared}
     * reader needs key-based batches, and one-key batches would make the Pulsar topic many more,
     * smaller entries than the Kafka topic has batches. Returns once the broker acknowledged every
     * message, or fails.
     */
    private void produce(String topic, WindowedCountEvents events) throws Exception {
        try (PulsarClient client = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build();
                Producer<byte[]> producer =
                        client.newProducer(Schema.BYTES)
                                .topic(topic)
                                .batchingMaxPublishDelay(20, TimeUnit.MILLISECONDS)
                                .batchingMaxBytes(256 * 1024)
                                // Pulsar's default: topic history positions batches of up to
                                // 4,095 messages (PulsarPositions).
                                .batchingMaxMessages(1_000)
                                .maxPendingMessages(10_000)
                                .blockIfQueueFull(true)
                                .create()) {
            List<CompletableFuture<?>> sent = new ArrayList<>(events.events());
            events.forEach(
                    (key, time, value) ->
                            sent.add(
                                    producer.newMessage()
                                            .key(key)
                                            .eventTime(time)
                                            .value(value.getBytes(StandardCharsets.UTF_8))
                                            .sendAsync()));
            producer.flush();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
    }

    /**
     * Reads {@code topic} from its earliest message until {@link WindowedCountEvents#closedWindows}
     * messages came, then checks their counts ({@link WindowedCountEvents#checkCounts}).
     *
     * @throws IllegalStateException if they are not all there within 20 minutes, or do not add up
     */
    private void awaitResults(String topic, WindowedCountEvents events) throws Exception {
        long expected = events.closedWindows();
        long seen = 0;
        long counted = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(pulsar.serviceUrl()).build();
                Consumer<byte[]> consumer =
                        client.newConsumer(Schema.BYTES)
                                .topic(topic)
                                .subscriptionName("bench-reader-" + UUID.randomUUID())
                                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                                .subscribe()) {
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            topic + " has " + seen + " of " + expected + " records after 20 min");
                }
                Message<byte[]> message = consumer.receive(200, TimeUnit.MILLISECONDS);
                if (message != null) {
                    seen++;
                    counted +=
                            WindowedCountJobs.count(
                                    new String(message.getValue(), StandardCharsets.UTF_8));
                }
            }
        }
        events.checkCounts(topic, counted);
    }
}
