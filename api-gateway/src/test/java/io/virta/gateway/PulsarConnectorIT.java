package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virta.connectors.SharedPulsar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The connector contracts against a real Pulsar standalone broker. */
@ExtendWith(SharedPulsar.class)
class PulsarConnectorIT extends TopicHistoryContract {
    private PulsarClient client;

    private PulsarClient client() throws Exception {
        if (client == null) {
            client = PulsarClient.builder().serviceUrl(servers()).build();
        }
        return client;
    }

    @AfterAll
    void closeClient() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected String type() {
        return "pulsar";
    }

    @Override
    protected String servers() {
        return SharedPulsar.serviceUrl();
    }

    @Override
    protected void createTopic(String topic, int partitions) throws Exception {
        partitions(topic, partitions, "PUT");
    }

    @Override
    protected void produce(String topic, List<Map.Entry<String, String>> records) {
        try (Producer<byte[]> producer =
                client().newProducer(Schema.BYTES)
                        .topic(topic)
                        // The default batcher keeps each partition in send order, as a Kafka
                        // producer does; KEY_BASED sends a batch per key, so a partition's keys
                        // interleave out of order and event-time windows without a grace period
                        // drop what comes late (the windowed tests' counts would be short).
                        .maxPendingMessages(10_000)
                        // A loaded broker must slow the test's producer down, not fail it: wait for
                        // room in the queue, and for the broker's answer as long as the test waits.
                        .blockIfQueueFull(true)
                        .sendTimeout(2, TimeUnit.MINUTES)
                        .create()) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (Map.Entry<String, String> r : records) {
                var message =
                        producer.newMessage().value(r.getValue().getBytes(StandardCharsets.UTF_8));
                if (r.getKey() != null) {
                    message = message.key(r.getKey());
                }
                sent.add(message.sendAsync());
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    @Override
    protected List<Received> readAll(String topic, int count) {
        List<Received> out = new ArrayList<>();
        try (Consumer<byte[]> consumer =
                client().newConsumer(Schema.BYTES)
                        .topic(topic)
                        .subscriptionName("reader-" + System.nanoTime())
                        .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                        .subscribe()) {
            await().atMost(WAIT)
                    .until(
                            () -> {
                                // Everything that came, not one message per poll of the await.
                                Message<byte[]> m = consumer.receive(500, TimeUnit.MILLISECONDS);
                                while (m != null && out.size() < count) {
                                    out.add(
                                            new Received(
                                                    m.hasKey() ? m.getKey() : null,
                                                    new String(
                                                            m.getValue(), StandardCharsets.UTF_8),
                                                    m.getProperties()));
                                    consumer.acknowledge(m);
                                    m =
                                            out.size() < count
                                                    ? consumer.receive(50, TimeUnit.MILLISECONDS)
                                                    : null;
                                }
                                return out.size() >= count;
                            });
        } catch (Exception e) {
            throw new IllegalStateException("reading " + topic + " failed", e);
        }
        return out;
    }

    /**
     * The messages ever published to {@code topic}, partitioned or not, as the admin API counts
     * them ({@code msgInCounter}); the tests' topics are never trimmed.
     */
    @Override
    protected long recordsIn(String topic) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = SharedPulsar.adminUrl() + "/admin/v2/persistent/public/default/" + topic;
        HttpResponse<String> reply =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/partitioned-stats")).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            reply =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
                            HttpResponse.BodyHandlers.ofString());
        }
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return TestNode.json(reply.body()).path("msgInCounter").asLong(-1);
    }

    @Override
    protected void addPartitions(String topic, int partitions) throws Exception {
        partitions(topic, partitions, "POST");
    }

    /** Creates (PUT) or grows (POST) a partitioned topic through the admin API. */
    private static void partitions(String topic, int partitions, String method) throws Exception {
        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        SharedPulsar.adminUrl()
                                                                + "/admin/v2/persistent/public/default/"
                                                                + topic
                                                                + "/partitions"))
                                        .header("Content-Type", "application/json")
                                        .method(
                                                method,
                                                HttpRequest.BodyPublishers.ofString(
                                                        "" + partitions))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isBetween(200, 299);
    }

    /** The interval Pulsar's partitioned consumers, and Virta's pipeline consumers, follow. */
    @Override
    protected String quickPartitionDiscovery() {
        return ", 'autoUpdatePartitionsIntervalSeconds' = '1'";
    }

    /** Partitioned Pulsar topics name their partitions "<topic>-partition-<n>". */
    @Override
    protected String deadLetterKey(String topic) {
        return topic + "-partition-0";
    }

    /** The admin API, for the backlog a source reports as its lag. */
    @Override
    protected String extraOptions() {
        return ", 'admin.url' = '" + SharedPulsar.adminUrl() + "'";
    }
}
