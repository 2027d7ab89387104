package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.PositionedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** INTERNAL API: a sink's batches to a Kafka topic with an idempotent producer. */
final class KafkaTopicWriter implements TopicWriter {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    KafkaTopicWriter(ConnectorSpec spec) {
        Properties p = KafkaSettings.clientProperties(spec);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = spec.topic();
    }

    @Override
    public CompletionStage<Void> write(List<PositionedEvent> batch) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (PositionedEvent e : batch) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(
                            topic,
                            null,
                            e.event().eventTimeMillis(),
                            e.key(),
                            e.event().payload().getBytes(StandardCharsets.UTF_8));
            record.headers().add("virta-event-id", e.event().id().getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(
                    record,
                    (metadata, failure) -> {
                        if (failure != null) {
                            ack.completeExceptionally(failure);
                        } else {
                            ack.complete(null);
                        }
                    });
            acks.add(ack);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        CompletableFuture.runAsync(() -> producer.close(Duration.ofSeconds(5)));
    }
}
