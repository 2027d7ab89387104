package io.virta.actors.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * INTERNAL API: stores a pipeline key's outputs in its output stream (late input rows in the
 * stream's {@code <name>_late} side stream), as events of the output key with deterministic ids, so
 * that storing the same outputs twice stores them once.
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

    OutputWriter(ActorSystem<?> system, String stream) {
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        this.executor = system.executionContext();
        this.stream = stream;
    }

    @Override
    public CompletionStage<Void> write(
            String key, String producer, List<PipelineRows.Output> outputs) {
        long now = System.currentTimeMillis();
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
        String target = outputs.get(0).late() ? lateStream(stream) : stream;
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
     * The side stream that takes the input rows of {@code stream}'s pipeline that came too late.
     */
    static String lateStream(String stream) {
        return stream + "_late";
    }
}
