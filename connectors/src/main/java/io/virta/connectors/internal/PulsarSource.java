package io.virta.connectors.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.connectors.ConnectorStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Messages;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * INTERNAL API: a Pulsar topic read into a stream: a Pekko Streams source over the client's async
 * batch receive. Every node subscribes with the connector's subscription ({@code virta-<name>},
 * Failover by default, Key_Shared with {@code subscription.type}), so Pulsar spreads the work; a
 * batch is acknowledged (batch-index acknowledgement) only once every event is durable, with ids
 * from the message ids, so a redelivery is recognised as duplicates. One batch is in flight: the
 * source asks for the next only after, so a slow store stops the pulling.
 *
 * <p>Made not to store (a source with {@code history = 'topic'}, whose pipelines read the topic
 * through their own subscriptions), it only dead-letters: poison messages go to the dead letters
 * before the batch is acknowledged, the rest are acknowledged as read; which are poison it takes
 * from the pipelines' consumers on this node where they read the partition ({@link
 * PulsarPoisonFinder}).
 */
final class PulsarSource implements ConnectorRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorSpec spec;
    private final ActorSystem<?> system;
    private final EventStore store;
    private final RecordIngest<Message<byte[]>> ingest;
    private final PulsarClient client;
    private final org.apache.pulsar.client.api.Consumer<byte[]> consumer;
    private final PulsarDeadLetters deadLetters;
    private final UniqueKillSwitch killSwitch;
    private final CompletionStage<Done> done;
    private final PartitionCounters counters = new PartitionCounters();
    private final AtomicReference<String> error = new AtomicReference<>("");
    // Null when this stores every event; else (the stream's history is the topic) this only
    // dead-letters, and finds the poison of a batch here.
    private final PulsarPoisonFinder finder;

    /**
     * @param deadLettersOnly null to store every event; else the ledger of the pipelines' consumers
     *     of the topic on this node, and this only dead-letters
     */
    PulsarSource(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings,
            PoisonLedger deadLettersOnly)
            throws PulsarClientException {
        this.spec = spec;
        this.system = system;
        this.store = store;
        RecordIngest<Message<byte[]>> parser =
                RecordIngest.pulsar(system, store, spec, stream, settings);
        this.ingest = deadLettersOnly == null ? parser : parser.parsingOnly();
        this.finder =
                deadLettersOnly == null
                        ? null
                        : new PulsarPoisonFinder(
                                deadLettersOnly, ingest, system.executionContext());
        this.client = PulsarOptions.newClient(spec);
        org.apache.pulsar.client.api.Consumer<byte[]> subscribed;
        try {
            SubscriptionType type =
                    PulsarOptions.keyShared(spec)
                            ? SubscriptionType.Key_Shared
                            : SubscriptionType.Failover;
            subscribed =
                    PulsarOptions.consumer(
                                    client,
                                    spec,
                                    spec.topic(),
                                    "virta-" + spec.name(),
                                    type,
                                    settings)
                            .subscribe();
        } catch (PulsarClientException | RuntimeException e) {
            // Nothing else holds the client yet: left open, its threads would outlive the node.
            client.closeAsync();
            throw e;
        }
        this.consumer = subscribed;
        this.deadLetters = new PulsarDeadLetters(spec, store, client);
        // The client's connections live outside the actor system: they must not outlive the node
        // (a consumer left connected would keep its Failover partitions from the node's successor).
        system.getWhenTerminated().thenRun(client::closeAsync);
        var materialized =
                Source.repeat(Done.getInstance())
                        .viaMat(KillSwitches.single(), Keep.right())
                        .mapAsync(1, tick -> consumer.batchReceiveAsync())
                        .mapAsync(1, this::ingest)
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        this.killSwitch = materialized.first();
        this.done = materialized.second();
        done.whenComplete(
                (d, failure) -> {
                    if (failure != null) {
                        error.set(failure.toString());
                    }
                });
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    private CompletionStage<Done> ingest(Messages<byte[]> messages) {
        long now = System.currentTimeMillis();
        List<Message<byte[]>> batch = new ArrayList<>(messages.size());
        messages.forEach(batch::add);
        Map<Integer, List<Message<byte[]>>> partitions = PulsarOptions.byPartition(batch);
        partitions.forEach((p, read) -> counters.of(p).consumed.addAndGet(read.size()));
        return storedOrFound(batch, partitions, now)
                .thenCompose(
                        found ->
                                Retrying.until(
                                                system,
                                                error,
                                                () ->
                                                        deadLetters.send(
                                                                found.poison(), found.reasons()))
                                        .thenApply(d -> found))
                .thenCompose(found -> acknowledge(messages, partitions).thenApply(v -> found))
                .thenApply(
                        found -> {
                            if (finder != null) {
                                finder.deadLettered(partitions);
                            }
                            partitions.forEach(
                                    (p, read) -> counters.of(p).acknowledged(read.size()));
                            PulsarOptions.byPartition(found.poison())
                                    .forEach(
                                            (p, poison) ->
                                                    counters.of(p)
                                                            .deadLettered
                                                            .addAndGet(poison.size()));
                            return Done.getInstance();
                        });
    }

    /**
     * Stores every event of {@code batch} when this stores, else finds its poison: either way
     * completes with its poison messages.
     */
    private CompletionStage<PulsarPoisonFinder.Found> storedOrFound(
            List<Message<byte[]>> batch, Map<Integer, List<Message<byte[]>>> partitions, long now) {
        if (finder != null) {
            return finder.find(partitions, now);
        }
        RecordIngest.Parsed<Message<byte[]>> parsed = ingest.parse(batch, now);
        return ingest.append(parsed, now, error)
                .thenApply(d -> new PulsarPoisonFinder.Found(parsed.poison(), parsed.reasons()));
    }

    /**
     * Acknowledges {@code messages}: each one when storing (the subscription may be Key_Shared);
     * when only dead-lettering, on a Failover subscription ({@code history = 'topic'} refuses
     * Key_Shared), the last message of each partition, cumulatively, which is one acknowledgement
     * per partition and batch instead of one per message.
     */
    private CompletableFuture<Void> acknowledge(
            Messages<byte[]> messages, Map<Integer, List<Message<byte[]>>> partitions) {
        if (finder == null) {
            return consumer.acknowledgeAsync(messages);
        }
        return CompletableFuture.allOf(
                partitions.values().stream()
                        .map(read -> read.get(read.size() - 1).getMessageId())
                        .map(consumer::acknowledgeCumulativeAsync)
                        .toArray(CompletableFuture[]::new));
    }

    static String eventId(Message<?> m) {
        return "pulsar:" + m.getTopicName() + ":" + m.getMessageId();
    }

    boolean failed() {
        return done.toCompletableFuture().isDone();
    }

    /** A row per partition of the subscription ({@link PulsarPartitionStatus}). */
    @Override
    public CompletionStage<ConnectorStatus> status() {
        return PulsarPartitionStatus.rows(spec, "virta-" + spec.name(), counters)
                .thenApply(
                        rows ->
                                new ConnectorStatus(
                                        spec.name(),
                                        failed() ? "failed" : "running",
                                        error.get(),
                                        rows,
                                        ""));
    }

    @Override
    public CompletionStage<Void> stop() {
        killSwitch.shutdown();
        return done.handle((d, f) -> null)
                .thenRun(
                        () -> {
                            if (finder != null) {
                                finder.close();
                            }
                        })
                .thenCompose(v -> consumer.closeAsync())
                .thenCompose(v -> client.closeAsync())
                .handle((v, f) -> null);
    }
}
