package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.connectors.PartitionStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
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
 * INTERNAL API: the dead-lettering of a source with {@code history = 'topic'}, once per connector
 * whatever number of pipelines read its stream. It reads the topic in the connector's own consumer
 * group ({@code virta-<connector>}), parses each record as the pipelines do, sends the poison ones
 * to the dead-letter topic and the {@code <stream>_dlq} stream, and commits only after they are
 * there. Where a pipeline consumer on this node reads the same partition, the scan follows it and
 * takes the poison records it found ({@link PoisonLedger}) instead of parsing the topic again. The
 * pipelines' consumers skip poison records without sending them anywhere, so each record is
 * dead-lettered once (again only as an exact repeat, same origin, after a crash between sending and
 * committing), also while no pipeline reads the stream.
 */
final class DeadLetterScan implements TopicHistorySource.Part {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterScan.class);

    private final ConnectorSpec spec;
    private final ActorSystem<?> system;
    private final KafkaSettings settings;
    private final RecordIngest<ConsumerRecord<byte[], byte[]>> parser;
    private final DeadLetters deadLetters;
    private final PartitionCounters counters = new PartitionCounters();
    private final PoisonLedger ledger;
    private final Consumer.DrainingControl<Done> control;

    DeadLetterScan(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings,
            PoisonLedger ledger,
            AtomicReference<String> error) {
        this.spec = spec;
        this.ledger = ledger;
        this.system = system;
        this.settings = settings;
        this.parser = RecordIngest.kafka(system, store, spec, stream, settings).parsingOnly();
        this.deadLetters = new DeadLetters(spec, store, settings);
        ConsumerSettings<byte[], byte[]> consumer =
                KafkaSettings.consumer(system, spec, KafkaSettings.groupId(spec));
        CommitterSettings committer =
                CommitterSettings.create(system).withMaxInterval(Duration.ofSeconds(1));
        this.control =
                Consumer.committablePartitionedSource(consumer, Subscriptions.topics(spec.topic()))
                        .mapAsyncUnordered(
                                settings.maxPartitions(),
                                pair -> {
                                    int partition = pair.first().partition();
                                    ledger.scanning(partition);
                                    return pair.second()
                                            .groupedWithin(
                                                    settings.batchSize(), settings.batchWindow())
                                            .mapAsync(
                                                    1,
                                                    batch ->
                                                            Retrying.until(
                                                                    system,
                                                                    error,
                                                                    () -> scan(batch)))
                                            .via(Committer.flow(committer))
                                            .runWith(Sink.ignore(), system)
                                            .whenComplete(
                                                    (done, failure) ->
                                                            ledger.notScanning(partition));
                                })
                        .toMat(Sink.ignore(), Consumer::createDrainingControl)
                        .run(system);
        control.streamCompletion()
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                error.set(failure.toString());
                                log.error(
                                        "Dead-lettering of source connector {} failed",
                                        spec.name(),
                                        failure);
                            }
                        });
    }

    /**
     * Dead-letters the poison records of {@code batch}, as a pipeline consumer here found them or
     * else parsing them; completes with its offsets.
     */
    private CompletionStage<ConsumerMessage.CommittableOffsetBatch> scan(
            List<ConsumerMessage.CommittableMessage<byte[], byte[]>> batch) {
        List<ConsumerRecord<byte[], byte[]>> records =
                batch.stream().map(ConsumerMessage.CommittableMessage::record).toList();
        int partition = records.get(0).partition();
        long last = records.get(records.size() - 1).offset();
        // Async: a consumer's classification completes the wait inside the ledger's lock, on the
        // consumer's thread, which must not parse or send dead letters for the scan.
        return ledger.poison(partition, records.get(0).offset(), last)
                .thenComposeAsync(
                        known -> {
                            List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
                            List<String> reasons = new ArrayList<>();
                            if (known.isPresent()) {
                                for (ConsumerRecord<byte[], byte[]> r : records) {
                                    String reason = known.get().get(r.offset());
                                    if (reason != null) {
                                        poison.add(r);
                                        reasons.add(reason);
                                    }
                                }
                            } else {
                                RecordIngest.Parsed<ConsumerRecord<byte[], byte[]>> parsed =
                                        parser.parse(records, System.currentTimeMillis());
                                poison.addAll(parsed.poison());
                                reasons.addAll(parsed.reasons());
                            }
                            return deadLetters.send(poison, reasons).thenApply(v -> poison.size());
                        },
                        system.executionContext())
                .thenApply(
                        done -> {
                            ledger.scannedUpTo(partition, last);
                            PartitionCounters.Counters n = counters.of(partition);
                            n.consumed.addAndGet(records.size());
                            n.deadLettered.addAndGet(done);
                            return ConsumerMessage.createCommittableOffsetBatch(
                                    List.of(batch.get(batch.size() - 1).committableOffset()));
                        });
    }

    @Override
    public boolean failed() {
        return control.streamCompletion().toCompletableFuture().isDone();
    }

    @Override
    public CompletionStage<List<PartitionStatus>> status() {
        return settings.partitionStatus(spec, counters);
    }

    @Override
    public CompletionStage<Void> stop() {
        return control.drainAndShutdown(system.executionContext())
                .handle((done, failure) -> (Void) null)
                .thenRun(deadLetters::close);
    }
}
