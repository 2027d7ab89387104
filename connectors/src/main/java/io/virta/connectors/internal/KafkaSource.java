package io.virta.connectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.connectors.ConnectorStatus;
import io.virta.runtime.stream.EventExtractor;
import io.virta.runtime.stream.KeyedEvent;
import io.virta.runtime.stream.StreamDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: a Kafka topic read into a stream. Every node runs one consumer of the connector's
 * consumer group ({@code virta-<name>}), so Kafka spreads the partitions over the nodes.
 *
 * <p>Per partition, records are taken in batches, parsed as JSON, keyed and timed by the stream's
 * definition (or the connector's {@code key} / {@code timestamp}), grouped by key and appended; the
 * offsets are committed only once every event of the batch is acknowledged durable. Each event's id
 * is {@code kafka:<topic>:<partition>:<offset>}, so a batch read again after a crash is recognised
 * by its keys as duplicates: nothing is lost and nothing counted twice. A partition has one batch
 * in flight, and a batch that cannot be stored (Cassandra slow or down, node overloaded) is retried
 * with backoff without reading further: the consumer stops pulling and memory stays flat. A record
 * that is not a JSON object or lacks its key goes to the dead-letter topic and the {@code
 * <stream>_dlq} stream with the reason, and the partition keeps flowing.
 */
final class KafkaSource implements ConnectorRunner {
    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorSpec spec;
    private final ActorSystem<?> system;
    private final EventStore store;
    private final KafkaSettings settings;
    private final PartitionCounters counters = new PartitionCounters();
    private final DeadLetters deadLetters;
    private final AtomicReference<String> error = new AtomicReference<>("");
    private final Consumer.DrainingControl<org.apache.pekko.Done> control;
    private final EventExtractor extractor;

    KafkaSource(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings) {
        this.spec = spec;
        this.system = system;
        this.store = store;
        this.settings = settings;
        this.extractor = new EventExtractor(Definitions.overridden(stream, spec));
        this.deadLetters = new DeadLetters(spec, store, settings);
        ConsumerSettings<String, byte[]> consumer =
                ConsumerSettings.create(
                                system, new StringDeserializer(), new ByteArrayDeserializer())
                        .withBootstrapServers(spec.servers())
                        .withGroupId(KafkaSettings.groupId(spec))
                        .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, spec.start())
                        .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                        .withProperties(spec.clientOptions())
                        .withStopTimeout(Duration.ofSeconds(2));
        // Commits at least every second, so that the group's offsets (and the lag shown) follow
        // closely.
        CommitterSettings committer =
                CommitterSettings.create(system).withMaxInterval(Duration.ofSeconds(1));
        this.control =
                Consumer.committablePartitionedSource(consumer, Subscriptions.topics(spec.topic()))
                        .mapAsyncUnordered(
                                settings.maxPartitions(),
                                pair ->
                                        pair.second()
                                                .groupedWithin(
                                                        settings.batchSize(),
                                                        settings.batchWindow())
                                                .mapAsync(1, this::ingest)
                                                .via(Committer.flow(committer))
                                                .runWith(Sink.ignore(), system))
                        .toMat(Sink.ignore(), Consumer::createDrainingControl)
                        .run(system);
        control.streamCompletion()
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                error.set(failure.toString());
                                log.error("Source connector {} failed", spec.name(), failure);
                            }
                        });
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    /**
     * Stores one batch of a partition; completes with its offsets once every event is durable (or
     * dead-lettered), retrying what failed.
     */
    private CompletionStage<ConsumerMessage.CommittableOffsetBatch> ingest(
            List<ConsumerMessage.CommittableMessage<String, byte[]>> batch) {
        long now = System.currentTimeMillis();
        Map<String, List<KeyedEvent>> byKey = new LinkedHashMap<>();
        List<ConsumerRecord<String, byte[]>> poison = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ConsumerMessage.CommittableMessage<String, byte[]> message : batch) {
            ConsumerRecord<String, byte[]> record = message.record();
            counters.of(record.partition()).consumed.incrementAndGet();
            try {
                JsonNode value =
                        JSON.readTree(record.value() == null ? new byte[0] : record.value());
                if (value == null || !value.isObject()) {
                    throw new IllegalArgumentException("the value is not a JSON object");
                }
                KeyedEvent parsed = extractor.extract(value, now, () -> "");
                KeyedEvent event =
                        new KeyedEvent(
                                parsed.key(),
                                KafkaSettings.eventId(record),
                                false,
                                parsed.eventTimeMillis(),
                                parsed.payload());
                byKey.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                poison.add(record);
                reasons.add("the value is not JSON: " + e.getOriginalMessage());
            } catch (java.io.IOException | IllegalArgumentException e) {
                poison.add(record);
                reasons.add(e.getMessage());
            }
        }
        ConsumerMessage.CommittableOffsetBatch offsets =
                ConsumerMessage.createCommittableOffsetBatch(
                        batch.stream()
                                .map(ConsumerMessage.CommittableMessage::committableOffset)
                                .toList());
        return Source.from(List.copyOf(byKey.entrySet()))
                .mapAsyncUnordered(
                        settings.keysInFlight(),
                        e ->
                                Retrying.until(
                                        system,
                                        error,
                                        () ->
                                                store.append(
                                                        spec.stream(),
                                                        e.getKey(),
                                                        e.getValue(),
                                                        now)))
                .runWith(Sink.ignore(), system)
                .thenCompose(
                        done ->
                                Retrying.until(
                                        system, error, () -> deadLetters.send(poison, reasons)))
                .thenApply(
                        done -> {
                            for (ConsumerRecord<String, byte[]> r : poison) {
                                counters.of(r.partition()).deadLettered.incrementAndGet();
                            }
                            batch.forEach(
                                    m ->
                                            counters.of(m.record().partition())
                                                    .committed
                                                    .set(m.record().offset() + 1));
                            return offsets;
                        });
    }

    @Override
    public CompletionStage<ConnectorStatus> status() {
        return settings.partitionStatus(spec, counters)
                .thenApply(
                        partitions ->
                                new ConnectorStatus(
                                        spec.name(),
                                        control.streamCompletion().toCompletableFuture().isDone()
                                                ? "failed"
                                                : "running",
                                        error.get(),
                                        partitions,
                                        ""));
    }

    @Override
    public CompletionStage<Void> stop() {
        return control.drainAndShutdown(system.executionContext())
                .handle((done, failure) -> null)
                .thenRun(deadLetters::close);
    }
}
