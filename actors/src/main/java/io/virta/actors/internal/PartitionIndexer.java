package io.virta.actors.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * INTERNAL API: how a key entity puts what it stored into its stream's partition log ({@link
 * StreamPartition}).
 */
public interface PartitionIndexer {
    /**
     * Completes with the sequence number up to which {@code key}'s events are in the log, at least
     * {@code upTo}, once they are.
     */
    CompletionStage<Long> index(String stream, String key, long upTo);

    /** An indexer that keeps no log, for tests of a key entity alone. */
    PartitionIndexer NONE = (stream, key, upTo) -> CompletableFuture.completedFuture(upTo);

    /** The indexer of {@code system}, with {@code partitions} partitions a stream. */
    static PartitionIndexer sharded(ActorSystem<?> system, int partitions) {
        ClusterSharding sharding = ClusterSharding.get(system);
        // Half the callers' own timeout, so that a key can still tell its caller what happened.
        Duration timeout =
                system.settings().config().getDuration("virta.actors.ask-timeout").dividedBy(2);
        Executor executor = system.executionContext();
        return (stream, key, upTo) ->
                Futures.on(
                                sharding.entityRefFor(
                                                StreamPartition.TYPE_KEY,
                                                StreamPartition.entityId(
                                                        stream,
                                                        StreamPartition.partitionOf(
                                                                key, partitions)))
                                        .<StreamPartition.Indexed>ask(
                                                replyTo ->
                                                        new StreamPartition.Index(
                                                                key, upTo, replyTo),
                                                timeout),
                                executor)
                        .thenApply(StreamPartition.Indexed::upTo);
    }
}
