package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.TopicFeeds;
import io.virta.connectors.PartitionStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
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
 * INTERNAL API: one pipeline fed straight from a Kafka topic ({@code history = 'topic'}), in the
 * consumer group {@code virta-<connector>-<pipeline>}, so each pipeline reads the topic at its own
 * pace from the connector's start, as a ksqlDB persistent query does.
 *
 * <p>Per partition: batches of records are parsed and sent to their keys' groups at once, one
 * message per group ({@link TopicFeeds#apply}); once per commit interval (or {@code
 * max-records-per-commit}) every group that got records is asked to checkpoint, together with the
 * other partitions' intervals ({@link JointCheckpoints}); the groups' next timers and the highest
 * event time go to the pipeline's clock, and only then are the offsets committed. The records of an
 * interval are kept until it is committed, to send again to a group that lost them. A partition has
 * one checkpoint in flight, so a slow Cassandra stops the consumer from reading. Poison records are
 * skipped here: the connector's {@link DeadLetterScan} dead-letters them once for all pipelines,
 * told which they are through the {@link PoisonLedger}.
 */
final class TopicPipelineConsumer implements TopicHistorySource.Part {
    private static final Logger log = LoggerFactory.getLogger(TopicPipelineConsumer.class);

    /** What one batch of a partition became: its key groups' records, sent already. */
    private record Applied(
            String partition, ConsumerMessage.CommittableOffset last, KeyGroupSender.Sent sent) {}

    private final ConnectorSpec spec;
    private final String pipeline;
    private final String group;
    private final ActorSystem<?> system;
    private final TopicFeeds feeds;
    private final KafkaSettings settings;
    private final RecordIngest<ConsumerRecord<byte[], byte[]>> parser;
    private final PartitionCounters counters = new PartitionCounters();
    // The partitions' checkpoints, taken together: one journal write per key group and round.
    private final JointCheckpoints checkpoints;
    private final AtomicReference<String> error;
    // The topic's partition count, read once; the pipeline's watermark waits for each partition.
    private volatile int partitions;
    private final KeyGroupSender sender;
    // Where this consumer tells the connector's dead-letter scan which records are poison.
    private final PoisonLedger ledger;
    // Numbers the readings of partitions: each is a consumer of its own to the ledger.
    private final AtomicLong readings = new AtomicLong();
    private final Consumer.DrainingControl<Done> control;

    TopicPipelineConsumer(
            ConnectorSpec spec,
            TopicFeeds.Feed feed,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings,
            PoisonLedger ledger,
            AtomicReference<String> error) {
        this.spec = spec;
        this.ledger = ledger;
        this.pipeline = feed.pipeline();
        this.group = KafkaSettings.groupId(spec) + "-" + feed.pipeline();
        this.system = system;
        this.feeds = store.topicFeeds();
        this.sender = new KeyGroupSender(feeds, pipeline, feed.keyGroups());
        this.settings = settings;
        this.error = error;
        this.checkpoints =
                new JointCheckpoints(
                        system,
                        JointCheckpoints.Groups.of(feeds, pipeline),
                        pipeline,
                        settings.checkpointLinger(),
                        settings.keysInFlight(),
                        error);
        this.parser = RecordIngest.kafka(system, store, spec, stream, settings).parsingOnly();
        // The connector's start, as when records are stored per key: a pipeline's own 'latest'
        // means records Virta reads after the pipeline was made (their arrival time).
        ConsumerSettings<byte[], byte[]> consumer = KafkaSettings.consumer(system, spec, group);
        CommitterSettings committer = CommitterSettings.create(system).withMaxBatch(1);
        this.control =
                Consumer.committablePartitionedSource(consumer, Subscriptions.topics(spec.topic()))
                        .mapAsyncUnordered(
                                settings.maxPartitions(),
                                pair -> {
                                    int partition = pair.first().partition();
                                    String reading = pipeline + "#" + readings.incrementAndGet();
                                    return pair.second()
                                            .groupedWithin(
                                                    settings.batchSize(), settings.batchWindow())
                                            .map(batch -> apply(batch, reading))
                                            .groupedWeightedWithin(
                                                    settings.maxRecordsPerCommit(),
                                                    a -> (long) Math.max(1, a.sent().records()),
                                                    settings.commitInterval())
                                            .mapAsync(1, this::checkpoint)
                                            .via(Committer.flow(committer))
                                            .runWith(Sink.ignore(), system)
                                            .whenComplete(
                                                    (done, failure) -> {
                                                        ledger.released(reading, partition);
                                                        checkpoints.stopped(
                                                                partitionName(partition));
                                                    });
                                })
                        .toMat(Sink.ignore(), Consumer::createDrainingControl)
                        .run(system);
        control.streamCompletion()
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                error.set(failure.toString());
                                log.error(
                                        "Source connector {} feeding {} failed",
                                        spec.name(),
                                        pipeline,
                                        failure);
                            }
                        });
    }

    String pipeline() {
        return pipeline;
    }

    @Override
    public boolean failed() {
        return control.streamCompletion().toCompletableFuture().isDone();
    }

    /** The name key groups know a partition of the topic by. */
    private String partitionName(int partition) {
        return spec.topic() + "/" + partition;
    }

    /**
     * Parses a batch of partition reading {@code reading}, tells the ledger its poison records and
     * sends each key group its keys' records, in offset order.
     */
    private Applied apply(
            List<ConsumerMessage.CommittableMessage<byte[], byte[]>> batch, String reading) {
        long now = System.currentTimeMillis();
        List<ConsumerRecord<byte[], byte[]>> records =
                batch.stream().map(ConsumerMessage.CommittableMessage::record).toList();
        int partitionNumber = records.get(0).partition();
        String partition = partitionName(partitionNumber);
        counters.of(partitionNumber).consumed.addAndGet(records.size());
        RecordIngest.Parsed<ConsumerRecord<byte[], byte[]>> parsed = parser.parse(records, now);
        Map<Long, String> poison = new HashMap<>();
        for (int i = 0; i < parsed.poison().size(); i++) {
            poison.put(parsed.poison().get(i).offset(), parsed.reasons().get(i));
        }
        ledger.classified(
                reading,
                partitionNumber,
                records.get(0).offset(),
                records.get(records.size() - 1).offset(),
                poison);
        KeyGroupSender.Sent sent =
                sender.send(partition, parsed, ConsumerRecord::offset, now, records.size());
        checkpoints.applied(partition);
        return new Applied(partition, batch.get(batch.size() - 1).committableOffset(), sent);
    }

    /**
     * Checkpoints every key group of {@code interval}, together with the other partitions'
     * intervals, then reports the partition's event time to the clock; completes with the offsets
     * to commit.
     */
    private CompletionStage<ConsumerMessage.CommittableOffsetBatch> checkpoint(
            List<Applied> interval) {
        String partition = interval.get(0).partition();
        KeyGroupSender.Sent sent =
                KeyGroupSender.Sent.merge(interval.stream().map(Applied::sent).toList());
        return checkpoints
                .checkpoint(partition, sent.byGroup())
                .thenCompose(done -> partitions())
                .thenApply(
                        count -> {
                            ConsumerMessage.CommittableOffset last =
                                    interval.get(interval.size() - 1).last();
                            int p = last.partitionOffset().key().partition();
                            feeds.observed(
                                    pipeline, p, Math.max(count, p + 1), sent.maxEventTime());
                            sender.committed(partition, last.partitionOffset().offset());
                            counters.of(p).committed.set(last.partitionOffset().offset() + 1);
                            return ConsumerMessage.createCommittableOffsetBatch(List.of(last));
                        });
    }

    private CompletionStage<Integer> partitions() {
        if (partitions > 0) {
            return CompletableFuture.completedFuture(partitions);
        }
        return Retrying.until(system, error, () -> settings.partitionCount(spec))
                .thenApply(
                        n -> {
                            partitions = n;
                            return n;
                        });
    }

    @Override
    public CompletionStage<List<PartitionStatus>> status() {
        return settings.partitionStatus(spec, group, counters);
    }

    @Override
    public CompletionStage<Void> stop() {
        return control.drainAndShutdown(system.executionContext())
                .handle((done, failure) -> (Void) null);
    }
}
