package io.virta.actors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.OutputTopics;
import io.virta.actors.api.PositionedEvent;
import io.virta.actors.api.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * INTERNAL API: stores a pipeline key's outputs in its output stream (late input rows in the
 * stream's {@code <name>_late} side stream), as events of the output key with deterministic ids, so
 * that storing the same outputs twice stores them once.
 *
 * <p>When a sink connector keeps the stream's history in its topic ({@code history = 'topic'}) the
 * outputs are produced to that topic instead, through the writer the sink registered on this node
 * ({@link OutputTopics}), with the same ids in a header: writing them twice writes exact repeats.
 * Until this node has that writer the write fails, and the caller's outbox tries again, so that no
 * output of such a stream is stored where nothing reads it.
 */
final class OutputWriter implements OutputTarget {
    /**
     * The key of every row of an aggregate without GROUP BY (the runtime gives them the empty key,
     * which no URL can name).
     */
    static final String GLOBAL_KEY = "all";

    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;
    private final String stream;
    private final PipelineRegistry registry;
    private final OutputTopics topics;

    OutputWriter(ActorSystem<?> system, String stream) {
        this.sharding = ClusterSharding.get(system);
        this.registry = PipelineRegistry.get(system);
        this.topics = OutputTopics.get(system);
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        this.executor = system.executionContext();
        this.stream = stream;
    }

    @Override
    public CompletionStage<Void> write(
            String key, String producer, List<PipelineRows.Output> outputs) {
        long now = System.currentTimeMillis();
        String target = targetOf(outputs.get(0));
        Optional<ConnectorSpec> sink = topicSink(target);
        if (sink.isPresent()) {
            return toTopic(sink.get(), target, producer, outputs, now);
        }
        List<KeyEntity.NewEvent> events =
                outputs.stream()
                        .map(
                                o ->
                                        new KeyEntity.NewEvent(
                                                producer + "#" + o.number(),
                                                o.eventTimeMillis(),
                                                now,
                                                o.payload()))
                        .toList();
        long deadline = now + askTimeout.toMillis() * 4 / 5;
        return Futures.on(
                        sharding.entityRefFor(
                                        KeyEntity.TYPE_KEY,
                                        KeyEntity.entityId(
                                                target, key.isEmpty() ? GLOBAL_KEY : key))
                                .<KeyEntity.AppendReply>ask(
                                        replyTo -> new KeyEntity.Append(events, deadline, replyTo),
                                        askTimeout),
                        executor)
                .thenCompose(
                        reply ->
                                reply instanceof KeyEntity.Ack
                                        ? CompletableFuture.completedFuture(null)
                                        : CompletableFuture.failedFuture(
                                                new IllegalStateException(
                                                        "the output key could not store in time")));
    }

    /**
     * The outputs of a stream whose history is a topic go there in one write, whatever their keys:
     * one producer keeps the order of each key's records (a key's records share a partition), so a
     * window boundary that closes thousands of keys costs one round trip to the broker instead of
     * one per key. The rest go per key ({@link OutputTarget#writeWave}).
     */
    @Override
    public CompletionStage<Void> writeWave(
            String producer,
            List<PipelineRows.Output> wave,
            int parallelism,
            ActorSystem<?> system) {
        long now = System.currentTimeMillis();
        Map<String, List<PipelineRows.Output>> byTarget = new LinkedHashMap<>();
        for (PipelineRows.Output o : wave) {
            byTarget.computeIfAbsent(targetOf(o), t -> new ArrayList<>()).add(o);
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Map.Entry<String, List<PipelineRows.Output>> e : byTarget.entrySet()) {
            Optional<ConnectorSpec> sink = topicSink(e.getKey());
            writes.add(
                    (sink.isPresent()
                                    ? toTopic(sink.get(), e.getKey(), producer, e.getValue(), now)
                                    : OutputTarget.super.writeWave(
                                            producer, e.getValue(), parallelism, system))
                            .toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private String targetOf(PipelineRows.Output output) {
        return output.late() ? lateStream(stream) : stream;
    }

    /** The sink connector that keeps {@code target}'s history in its topic, if one is declared. */
    private Optional<ConnectorSpec> topicSink(String target) {
        return registry.connectors().stream()
                .map(StreamCatalog.ConnectorCreated::spec)
                .filter(
                        spec ->
                                !spec.source()
                                        && spec.topicHistory()
                                        && spec.stream().equalsIgnoreCase(target))
                .findFirst();
    }

    private CompletionStage<Void> toTopic(
            ConnectorSpec sink,
            String target,
            String producer,
            List<PipelineRows.Output> outputs,
            long now) {
        Optional<OutputTopics.Writer> writer = topics.writer(target);
        if (writer.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "the producer of sink connector '"
                                    + sink.name()
                                    + "' is not running on this node yet"));
        }
        return writer.get()
                .write(
                        outputs.stream()
                                .map(
                                        o ->
                                                new PositionedEvent(
                                                        o.key().isEmpty() ? GLOBAL_KEY : o.key(),
                                                        new StoredEvent(
                                                                o.number(),
                                                                producer + "#" + o.number(),
                                                                o.eventTimeMillis(),
                                                                now,
                                                                o.payload()),
                                                        null))
                                .toList());
    }

    /**
     * The side stream that takes the input rows of {@code stream}'s pipeline that came too late.
     */
    static String lateStream(String stream) {
        return stream + "_late";
    }
}
