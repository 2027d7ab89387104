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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * INTERNAL API: where a source's poison records go: the dead-letter topic (the record as it was,
 * with the reason and its origin in headers) and the stream {@code <stream>_dlq} (keyed by {@code
 * <topic>-<partition>}, with the reason, the origin and the value as text), each with an id from
 * the record's coordinates, so sending again after a crash stores nothing twice in the stream.
 */
final class DeadLetters implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorSpec spec;
    private final EventStore store;
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetters(ConnectorSpec spec, EventStore store, KafkaSettings settings) {
        this.spec = spec;
        this.store = store;
    }

    /** The stream that takes a source's poison records. */
    static String stream(ConnectorSpec spec) {
        return spec.stream() + "_dlq";
    }

    /** Sends {@code records}, each with its reason; completes when both places have them. */
    CompletionStage<Void> send(List<ConsumerRecord<byte[], byte[]>> records, List<String> reasons) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        Map<String, List<KeyedEvent>> byKey = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            String reason = reasons.get(i) == null ? "unreadable" : reasons.get(i);
            ProducerRecord<byte[], byte[]> out =
                    new ProducerRecord<>(spec.deadLetterTopic(), r.key(), r.value());
            out.headers()
                    .add("virta-reason", reason.getBytes(StandardCharsets.UTF_8))
                    .add("virta-origin", KafkaSettings.eventId(r).getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Void> acked = new CompletableFuture<>();
            producer()
                    .send(
                            out,
                            (metadata, failure) -> {
                                if (failure != null) {
                                    acked.completeExceptionally(failure);
                                } else {
                                    acked.complete(null);
                                }
                            });
            sent.add(acked);
            ObjectNode payload = JSON.createObjectNode();
            String key = r.topic() + "-" + r.partition();
            payload.put("source", key);
            payload.put("reason", reason);
            payload.put("topic", r.topic());
            payload.put("partition", r.partition());
            payload.put("offset", r.offset());
            payload.put(
                    "value",
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
            byKey.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new KeyedEvent(key, KafkaSettings.eventId(r), false, now, payload));
        }
        byKey.forEach(
                (key, events) ->
                        sent.add(
                                store.append(stream(spec), key, events, now)
                                        .toCompletableFuture()));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = KafkaSettings.clientProperties(spec);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
