package io.virta.actors.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * INTERNAL API: forwards re-keyed rows of a pipeline to the {@link PipelineGroupEntity} of their
 * new key, which acknowledges only what it journaled and recognises rows it already has by their
 * numbers.
 */
final class GroupForwarder implements OutputTarget {
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;
    private final String pipeline;

    GroupForwarder(ActorSystem<?> system, String pipeline) {
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        this.executor = system.executionContext();
        this.pipeline = pipeline;
    }

    @Override
    public CompletionStage<Void> write(
            String key, String producer, List<PipelineRows.Output> rows) {
        return Futures.on(
                        sharding.entityRefFor(
                                        PipelineGroupEntity.TYPE_KEY,
                                        PipelineGroupEntity.entityId(pipeline, key))
                                .<PipelineGroupEntity.Forwarded>ask(
                                        replyTo ->
                                                new PipelineGroupEntity.Forward(
                                                        producer, rows, replyTo),
                                        askTimeout),
                        executor)
                .thenApply(ack -> null);
    }
}
