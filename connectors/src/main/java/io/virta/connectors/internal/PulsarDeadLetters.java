package io.virta.connectors.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.runtime.stream.KeyedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * INTERNAL API: where a Pulsar source's poison messages go: the dead-letter topic (the message as
 * it was, with properties {@code virta-reason} and {@code virta-origin}) and the stream {@code
 * <stream>_dlq} (keyed by the topic, with the reason, the origin and the value as text).
 */
final class PulsarDeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorSpec spec;
    private final EventStore store;
    private final PulsarClient client;
    private Producer<byte[]> producer;

    PulsarDeadLetters(ConnectorSpec spec, EventStore store, PulsarClient client) {
        this.spec = spec;
        this.store = store;
        this.client = client;
    }

    CompletionStage<Void> send(List<Message<byte[]>> messages, List<String> reasons) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        Map<String, List<KeyedEvent>> byKey = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < messages.size(); i++) {
            Message<byte[]> m = messages.get(i);
            String reason = reasons.get(i) == null ? "unreadable" : reasons.get(i);
            String origin = PulsarSource.eventId(m);
            var out =
                    producer()
                            .newMessage()
                            .value(m.getValue() == null ? new byte[0] : m.getValue());
            if (m.hasKey()) {
                out = out.key(m.getKey());
            }
            sent.add(
                    out.property("virta-reason", reason)
                            .property("virta-origin", origin)
                            .sendAsync());
            ObjectNode payload = JSON.createObjectNode();
            String key = m.getTopicName().replaceAll(".*/", "");
            payload.put("source", key);
            payload.put("reason", reason);
            payload.put("origin", origin);
            payload.put(
                    "value",
                    m.getValue() == null ? null : new String(m.getValue(), StandardCharsets.UTF_8));
            byKey.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new KeyedEvent(key, origin, false, now, payload));
        }
        byKey.forEach(
                (key, events) ->
                        sent.add(
                                store.append(DeadLetters.stream(spec), key, events, now)
                                        .toCompletableFuture()));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private synchronized Producer<byte[]> producer() {
        if (producer == null) {
            try {
                producer = client.newProducer(Schema.BYTES).topic(spec.deadLetterTopic()).create();
            } catch (org.apache.pulsar.client.api.PulsarClientException e) {
                throw new IllegalStateException("no dead-letter producer: " + e.getMessage(), e);
            }
        }
        return producer;
    }
}
