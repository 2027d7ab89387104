package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.BatchReceivePolicy;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * INTERNAL API: a Pulsar connector's options: {@code subscription.type} ({@code Failover}, the
 * default, or {@code Key_Shared}) and {@code admin.url} (the web service, for the backlog a source
 * reports as its lag) are the connector's; {@code autoUpdatePartitions} and {@code
 * autoUpdatePartitionsIntervalSeconds} go to the consumers (how often they look for partitions
 * added to the topic); every other option goes to the client's configuration ({@code
 * PulsarClient.builder().loadConf}), e.g. {@code authPluginClassName}.
 */
final class PulsarOptions {
    private static final Pattern PARTITION = Pattern.compile("-partition-(\\d+)$");

    private PulsarOptions() {}

    static boolean keyShared(ConnectorSpec spec) {
        return spec.clientOptions()
                .getOrDefault("subscription.type", "Failover")
                .equalsIgnoreCase("key_shared");
    }

    /** The admin web service URL, or null. */
    static String adminUrl(ConnectorSpec spec) {
        return spec.clientOptions().get("admin.url");
    }

    /** {@code tenant/namespace/topic} of the spec's topic (default tenant and namespace). */
    static String topicPath(ConnectorSpec spec) {
        String topic = spec.topic().replaceFirst("^(persistent|non-persistent)://", "");
        return topic.contains("/") ? topic : "public/default/" + topic;
    }

    /**
     * The index of a partition topic ({@code <topic>-partition-<n>}); 0 for a topic unpartitioned.
     */
    static int partitionIndex(String topicName) {
        Matcher m = PARTITION.matcher(topicName);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * {@code messages} by partition index, each partition's in their order; partitions ascending.
     */
    static Map<Integer, List<Message<byte[]>>> byPartition(List<Message<byte[]>> messages) {
        Map<Integer, List<Message<byte[]>>> out = new TreeMap<>();
        for (Message<byte[]> m : messages) {
            out.computeIfAbsent(partitionIndex(m.getTopicName()), p -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /**
     * How often a pipeline's consumer looks for partitions added to the topic: the client option
     * Pulsar's own partitioned consumers follow, {@code autoUpdatePartitionsIntervalSeconds} (60 s
     * by default, checked by {@link ConnectorSpec#parse}); empty when {@code autoUpdatePartitions}
     * is {@code false}.
     */
    static Optional<Duration> partitionDiscovery(ConnectorSpec spec) {
        Map<String, String> options = spec.clientOptions();
        if ("false".equalsIgnoreCase(options.get("autoUpdatePartitions"))) {
            return Optional.empty();
        }
        String seconds = options.getOrDefault("autoUpdatePartitionsIntervalSeconds", "60");
        return Optional.of(Duration.ofSeconds(Long.parseLong(seconds.trim())));
    }

    static Map<String, Object> client(ConnectorSpec spec) {
        Map<String, Object> conf = new HashMap<>(spec.clientOptions());
        conf.remove("subscription.type");
        conf.remove("admin.url");
        // Consumer options, not the client's: see consumer().
        conf.remove("autoUpdatePartitions");
        conf.remove("autoUpdatePartitionsIntervalSeconds");
        return conf;
    }

    /**
     * A client for the spec's servers with the spec's client options.
     *
     * @throws IllegalStateException naming the servers when the client cannot be built
     */
    static PulsarClient newClient(ConnectorSpec spec) {
        try {
            return PulsarClient.builder().serviceUrl(spec.servers()).loadConf(client(spec)).build();
        } catch (PulsarClientException e) {
            throw new IllegalStateException(
                    "could not connect to Pulsar at " + spec.servers() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A consumer of {@code topic} on {@code subscription} as every Virta source reads: from the
     * spec's start when the subscription is new, batch-index acknowledgement on, batches of the
     * settings' size and window.
     */
    static ConsumerBuilder<byte[]> consumer(
            PulsarClient client,
            ConnectorSpec spec,
            String topic,
            String subscription,
            SubscriptionType type,
            KafkaSettings settings) {
        Optional<Duration> discovery = partitionDiscovery(spec);
        return client.newConsumer(Schema.BYTES)
                .topic(topic)
                .subscriptionName(subscription)
                .subscriptionType(type)
                .subscriptionInitialPosition(
                        spec.start().equals("latest")
                                ? SubscriptionInitialPosition.Latest
                                : SubscriptionInitialPosition.Earliest)
                .enableBatchIndexAcknowledgment(true)
                .batchReceivePolicy(
                        BatchReceivePolicy.builder()
                                .maxNumMessages(settings.batchSize())
                                .timeout(
                                        (int) settings.batchWindow().toMillis(),
                                        TimeUnit.MILLISECONDS)
                                .build())
                .autoUpdatePartitions(discovery.isPresent())
                .autoUpdatePartitionsInterval(
                        (int) discovery.orElse(Duration.ofSeconds(60)).toSeconds(),
                        TimeUnit.SECONDS);
    }
}
