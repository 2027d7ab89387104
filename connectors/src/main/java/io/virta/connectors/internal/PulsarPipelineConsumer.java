package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.TopicFeeds;
import io.virta.connectors.PartitionStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Messages;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: one pipeline fed straight from a Pulsar topic ({@code history = 'topic'}), in the
 * subscription {@code virta-<connector>-<pipeline>}: the Pulsar counterpart of {@link
 * TopicPipelineConsumer}, so each pipeline reads the topic at its own pace.
 *
 * <p>Every node subscribes to each partition of the topic on its own, Failover, so Pulsar gives a
 * partition to one node at a time and to another when that node goes, as a Kafka consumer group
 * does. Per partition, one stream reads batches in order, parses them and sends each key group its
 * keys' records ({@link KeyGroupSender}), positioned by {@link PulsarPositions}; once per commit
 * interval (or {@code max-records-per-commit}) the groups checkpoint, together with the other
 * partitions' intervals ({@link JointCheckpoints}), the partition's highest event time goes to the
 * pipeline's clock, and only then is the partition acknowledged, cumulatively up to the interval's
 * last message. One checkpoint per partition is in flight and the client prefetches a bounded
 * queue, so a slow Cassandra stops the reading. A group skips records at or below the position it
 * checkpointed, so messages Pulsar delivers again after a crash or a failover count once. Poison
 * messages are skipped: the connector's own subscription dead-letters them, told which they are
 * through the {@link PoisonLedger}.
 *
 * <p>Partitions added to the topic are found as Pulsar's own partitioned consumers find them: every
 * {@code autoUpdatePartitionsIntervalSeconds} (a client option, 60 s by default; none with {@code
 * autoUpdatePartitions = false}) the topic's partitions are looked up and the new ones subscribed
 * to, read from the connector's start; from then on the pipeline's watermark waits for them too.
 */
final class PulsarPipelineConsumer implements TopicHistorySource.Part {
    private static final Logger log = LoggerFactory.getLogger(PulsarPipelineConsumer.class);

    /** A batch of a partition, sent to its key groups. */
    private record Applied(MessageId last, long lastPosition, KeyGroupSender.Sent sent) {}

    /** One partition's subscription and the stream reading it. */
    private record Reading(
            Consumer<byte[]> consumer, UniqueKillSwitch killSwitch, CompletionStage<Done> done) {}

    private final ConnectorSpec spec;
    private final String pipeline;
    private final String subscription;
    private final ActorSystem<?> system;
    private final TopicFeeds feeds;
    private final KafkaSettings settings;
    private final RecordIngest<Message<byte[]>> parser;
    private final KeyGroupSender sender;
    private final JointCheckpoints checkpoints;
    private final AtomicReference<String> error;
    private final PoisonLedger ledger;
    // Numbers the ledger's runs of this pipeline's readings.
    private final AtomicLong runs = new AtomicLong();
    private final PulsarClient client;
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    // The partition topics subscribed to, so that a discovery subscribes only to new ones.
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Optional<Cancellable> discovery;
    private final CompletableFuture<Void> started;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final PartitionCounters counters = new PartitionCounters();
    private volatile boolean stopping;
    // The topic's partition count; the pipeline's watermark waits for each partition.
    private volatile int partitions = 1;

    PulsarPipelineConsumer(
            ConnectorSpec spec,
            TopicFeeds.Feed feed,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings,
            PoisonLedger ledger,
            AtomicReference<String> error) {
        this.spec = spec;
        this.pipeline = feed.pipeline();
        this.subscription = "virta-" + spec.name() + "-" + feed.pipeline();
        this.system = system;
        this.feeds = store.topicFeeds();
        this.settings = settings;
        this.error = error;
        this.ledger = ledger;
        this.parser = RecordIngest.pulsar(system, store, spec, stream, settings).parsingOnly();
        this.sender = new KeyGroupSender(feeds, pipeline, feed.keyGroups());
        this.checkpoints =
                new JointCheckpoints(
                        system,
                        JointCheckpoints.Groups.of(feeds, pipeline),
                        pipeline,
                        settings.checkpointLinger(),
                        settings.keysInFlight(),
                        error);
        this.client = PulsarOptions.newClient(spec);
        // The client's connections must not outlive the node: a consumer left connected would
        // keep its Failover partitions from the node's successor.
        system.getWhenTerminated().thenRun(client::closeAsync);
        this.started =
                client.getPartitionsForTopic(spec.topic())
                        .thenCompose(this::subscribeAll)
                        .whenComplete(
                                (v, failure) -> {
                                    if (failure != null) {
                                        fail("subscribing", failure);
                                    }
                                });
        this.discovery =
                PulsarOptions.partitionDiscovery(spec)
                        .map(
                                every ->
                                        system.scheduler()
                                                .scheduleWithFixedDelay(
                                                        every,
                                                        every,
                                                        this::discover,
                                                        system.executionContext()));
    }

    /** Subscribes to each partition of {@code names} not subscribed to yet and reads it. */
    private CompletableFuture<Void> subscribeAll(List<String> names) {
        List<String> added = names.stream().filter(n -> !stopping && subscribed.add(n)).toList();
        // Before any of their records reaches the clock: the pipeline's watermark waits for every
        // partition from then on.
        for (String name : added) {
            partitions = Math.max(partitions, PulsarOptions.partitionIndex(name) + 1);
        }
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (String name : added) {
            int index = PulsarOptions.partitionIndex(name);
            each.add(
                    subscribe(name)
                            .thenAccept(consumer -> read(consumer, index))
                            .whenComplete(
                                    (v, failure) -> {
                                        if (failure != null) {
                                            // Tried again at the next discovery.
                                            subscribed.remove(name);
                                        }
                                    }));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
    }

    /**
     * Looks the topic's partitions up again and reads those added since; a failure is logged and
     * the next discovery tries again.
     */
    private void discover() {
        if (stopping || !started.isDone()) {
            return;
        }
        client.getPartitionsForTopic(spec.topic())
                .thenCompose(this::subscribeAll)
                .whenComplete(
                        (v, failure) -> {
                            if (failure != null && !stopping) {
                                log.warn(
                                        "Source connector {} feeding {} could not look for new"
                                                + " partitions of {}: {}",
                                        spec.name(),
                                        pipeline,
                                        spec.topic(),
                                        failure.toString());
                            }
                        });
    }

    private CompletableFuture<Consumer<byte[]>> subscribe(String partitionTopic) {
        return PulsarOptions.consumer(
                        client,
                        spec,
                        partitionTopic,
                        subscription,
                        SubscriptionType.Failover,
                        settings)
                .subscribeAsync();
    }

    /** Runs the stream of one partition's subscription. */
    private void read(Consumer<byte[]> consumer, int index) {
        String partition = spec.topic() + "/" + index;
        PulsarClassifiedRuns runs = new PulsarClassifiedRuns(ledger, pipeline, index, this.runs);
        Pair<UniqueKillSwitch, CompletionStage<Done>> running =
                Source.repeat(Done.getInstance())
                        .viaMat(KillSwitches.single(), Keep.right())
                        .mapAsync(1, tick -> consumer.batchReceiveAsync())
                        .filter(messages -> messages.size() > 0)
                        .map(messages -> apply(messages, partition, index, runs))
                        .groupedWeightedWithin(
                                settings.maxRecordsPerCommit(),
                                a -> (long) Math.max(1, a.sent().records()),
                                settings.commitInterval())
                        .mapAsync(1, interval -> checkpoint(interval, partition, index))
                        .mapAsync(
                                1,
                                interval ->
                                        consumer.acknowledgeCumulativeAsync(interval.last())
                                                .thenApply(
                                                        v -> {
                                                            counters.of(index)
                                                                    .acknowledged(
                                                                            interval.sent()
                                                                                    .records());
                                                            return Done.getInstance();
                                                        }))
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        readings.add(new Reading(consumer, running.first(), running.second()));
        running.second()
                .whenComplete(
                        (done, failure) -> {
                            runs.released();
                            checkpoints.stopped(partition);
                            if (failure != null) {
                                fail("reading " + partition, failure);
                            } else if (!stopping) {
                                fail("reading " + partition, new IllegalStateException("ended"));
                            }
                        });
        if (stopping) {
            running.first().shutdown();
        }
    }

    private void fail(String what, Throwable failure) {
        // A node going down ends the streams abruptly: what they read is read again by its
        // successor, nothing to report.
        if (!stopping && !(failure instanceof AbruptStageTerminationException)) {
            failed.set(true);
            error.set(failure.toString());
            log.error(
                    "Source connector {} feeding {} failed {}",
                    spec.name(),
                    pipeline,
                    what,
                    failure);
        }
    }

    /**
     * Parses a batch of {@code partition}, tells the ledger its poison messages and sends each key
     * group its keys' records.
     */
    private Applied apply(
            Messages<byte[]> messages, String partition, int index, PulsarClassifiedRuns runs) {
        long now = System.currentTimeMillis();
        List<Message<byte[]>> records = new ArrayList<>(messages.size());
        messages.forEach(records::add);
        counters.of(index).consumed.addAndGet(records.size());
        RecordIngest.Parsed<Message<byte[]>> parsed = parser.parse(records, now);
        runs.classified(records, parsed);
        KeyGroupSender.Sent sent =
                sender.send(
                        partition,
                        parsed,
                        m -> PulsarPositions.of(m.getMessageId()),
                        now,
                        records.size());
        checkpoints.applied(partition);
        MessageId last = records.get(records.size() - 1).getMessageId();
        return new Applied(last, PulsarPositions.of(last), sent);
    }

    /**
     * Checkpoints every key group of {@code interval}, together with the other partitions'
     * intervals, then reports the partition's event time to the clock; completes with the interval
     * as one, its last message to acknowledge.
     */
    private CompletionStage<Applied> checkpoint(
            List<Applied> interval, String partition, int index) {
        KeyGroupSender.Sent sent =
                KeyGroupSender.Sent.merge(interval.stream().map(Applied::sent).toList());
        Applied last = interval.get(interval.size() - 1);
        return checkpoints
                .checkpoint(partition, sent.byGroup())
                .thenApply(
                        done -> {
                            feeds.observed(
                                    pipeline,
                                    index,
                                    Math.max(partitions, index + 1),
                                    sent.maxEventTime());
                            sender.committed(partition, last.lastPosition());
                            return new Applied(last.last(), last.lastPosition(), sent);
                        });
    }

    @Override
    public boolean failed() {
        return failed.get();
    }

    /** A row per partition of the pipeline's subscription ({@link PulsarPartitionStatus}). */
    @Override
    public CompletionStage<List<PartitionStatus>> status() {
        return PulsarPartitionStatus.rows(spec, subscription, counters);
    }

    /** Stops reading, checkpoints and acknowledges what was read, then closes the subscriptions. */
    @Override
    public CompletionStage<Void> stop() {
        stopping = true;
        discovery.ifPresent(Cancellable::cancel);
        return started.handle((v, f) -> (Void) null)
                .thenCompose(
                        v -> {
                            List<CompletableFuture<Void>> closed = new ArrayList<>();
                            for (Reading r : readings) {
                                r.killSwitch().shutdown();
                                closed.add(
                                        r.done()
                                                .handle((d, f) -> (Void) null)
                                                .thenCompose(x -> r.consumer().closeAsync())
                                                .toCompletableFuture());
                            }
                            return CompletableFuture.allOf(
                                    closed.toArray(CompletableFuture[]::new));
                        })
                .thenCompose(v -> client.closeAsync())
                .handle((v, f) -> (Void) null);
    }
}
