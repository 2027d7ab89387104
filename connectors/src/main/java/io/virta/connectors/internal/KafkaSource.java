package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.connectors.ConnectorStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Sink;
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

    private final ConnectorSpec spec;
    private final ActorSystem<?> system;
    private final EventStore store;
    private final KafkaSettings settings;
    private final PartitionCounters counters = new PartitionCounters();
    private final DeadLetters deadLetters;
    private final AtomicReference<String> error = new AtomicReference<>("");
    private final Consumer.DrainingControl<org.apache.pekko.Done> control;
    private final RecordIngest<ConsumerRecord<byte[], byte[]>> ingest;

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
        this.ingest = RecordIngest.kafka(system, store, spec, stream, settings);
        this.deadLetters = new DeadLetters(spec, store, settings);
        ConsumerSettings<byte[], byte[]> consumer =
                KafkaSettings.consumer(system, spec, KafkaSettings.groupId(spec));
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
            List<ConsumerMessage.CommittableMessage<byte[], byte[]>> batch) {
        long now = System.currentTimeMillis();
        List<ConsumerRecord<byte[], byte[]>> records =
                batch.stream().map(ConsumerMessage.CommittableMessage::record).toList();
        records.forEach(r -> counters.of(r.partition()).consumed.incrementAndGet());
        RecordIngest.Parsed<ConsumerRecord<byte[], byte[]>> parsed = ingest.parse(records, now);
        ConsumerMessage.CommittableOffsetBatch offsets =
                ConsumerMessage.createCommittableOffsetBatch(
                        batch.stream()
                                .map(ConsumerMessage.CommittableMessage::committableOffset)
                                .toList());
        return ingest.append(parsed, now, error)
                .thenCompose(
                        done ->
                                Retrying.until(
                                        system,
                                        error,
                                        () -> deadLetters.send(parsed.poison(), parsed.reasons())))
                .thenApply(
                        done -> {
                            for (ConsumerRecord<byte[], byte[]> r : parsed.poison()) {
                                counters.of(r.partition()).deadLettered.incrementAndGet();
                            }
                            records.forEach(
                                    r -> counters.of(r.partition()).committed.set(r.offset() + 1));
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
