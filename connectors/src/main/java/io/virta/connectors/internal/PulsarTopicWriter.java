package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.PositionedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;

/**
 * INTERNAL API: a sink's batches to a Pulsar topic: message key = the event's key (key-based
 * batching, so Key_Shared consumers keep each key in order), property {@code virta-event-id}.
 */
final class PulsarTopicWriter implements TopicWriter {
    private final PulsarClient client;
    private final Producer<byte[]> producer;

    PulsarTopicWriter(ConnectorSpec spec) {
        this.client = PulsarOptions.newClient(spec);
        try {
            this.producer =
                    client.newProducer(Schema.BYTES)
                            .topic(spec.topic())
                            .batcherBuilder(BatcherBuilder.KEY_BASED)
                            .create();
        } catch (PulsarClientException e) {
            // Nothing else holds the client: left open, its threads would outlive the node.
            client.closeAsync();
            throw new IllegalStateException(
                    "could not connect to Pulsar at " + spec.servers() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Void> write(List<PositionedEvent> batch) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (PositionedEvent e : batch) {
            acks.add(
                    producer.newMessage()
                            .key(e.key())
                            .value(e.event().payload().getBytes(StandardCharsets.UTF_8))
                            .eventTime(e.event().eventTimeMillis())
                            .property("virta-event-id", e.event().id())
                            .sendAsync());
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        producer.closeAsync().thenCompose(v -> client.closeAsync());
    }
}
