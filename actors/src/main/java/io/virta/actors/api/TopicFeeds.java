package io.virta.actors.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.StreamClock;
import io.virta.actors.internal.TopicKeyGroupEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Feeding pipelines straight from a topic whose records are not stored again: the topic is the
 * stream's log. Obtain it from {@link EventStore#topicFeeds()}; a source connector with {@code
 * history = 'topic'} drives it, one consumer per pipeline.
 *
 * <p>A pipeline's keys live in its key groups ({@link Feed#keyGroups}, {@link #keyGroupOf}), each
 * one entity that holds the state of its keys. The protocol: per topic partition, {@link #apply} a
 * key group's records (no reply, in offset order); once per commit interval, {@link #flush} every
 * group that got records, naming each partition it got records from (one flush may cover several
 * partitions) and, when all are {@link Flushed}, journal their next timers with {@link #setTimers},
 * report each partition's highest event time with {@link #observed}, and only then commit the
 * partitions' offsets to the topic. A group answering {@link Behind} lost records it was sent (it
 * moved or restarted): send them again, then flush again. A group skips records at or below the
 * offset it checkpointed, so reading a partition again from the committed offset after a crash
 * counts nothing twice.
 */
public final class TopicFeeds {

    /**
     * A pipeline reading a stream.
     *
     * @param pipeline its name
     * @param unsupported why it cannot be fed from a topic (it re-keys or joins, so its input must
     *     be stored per key), or empty
     * @param keyGroups the pipeline's number of key groups ({@link #keyGroupOf})
     */
    public record Feed(String pipeline, Optional<String> unsupported, int keyGroups) {}

    /**
     * A record of key {@code key}, at {@code offset} of its partition, with its time and its JSON
     * value, parsed once by the sender and never changed after.
     */
    public record TopicRecord(
            String key,
            long offset,
            long eventTimeMillis,
            long arrivalTimeMillis,
            ObjectNode payload) {}

    /**
     * The key groups of a pipeline made before the number was recorded per pipeline. A pipeline's
     * number is fixed for its life: a key's group is where its state is, so changing it would part
     * keys from their state.
     */
    public static final int LEGACY_KEY_GROUPS = 64;

    /**
     * The key groups of a new pipeline when the catalog is given none ({@code
     * virta.actors.topic-key-groups.count} sets the cluster's).
     */
    public static final int DEFAULT_KEY_GROUPS = 16;

    /** The answers to {@link #flush}. */
    public sealed interface FlushResult permits Flushed, Behind {}

    /**
     * The group checkpointed everything it was sent; its next timer is {@code nextTimer} ({@code
     * Long.MAX_VALUE}: none).
     */
    public record Flushed(long nextTimer) implements FlushResult {}

    /**
     * The group has records of these partitions only up to the offset given (-1: none): send it the
     * rest again, then flush again.
     */
    public record Behind(Map<String, Long> appliedUpTo) implements FlushResult {}

    private final ClusterSharding sharding;
    private final PipelineRegistry registry;
    private final Duration askTimeout;

    TopicFeeds(ActorSystem<?> system, Duration askTimeout) {
        this.sharding = ClusterSharding.get(system);
        this.registry = PipelineRegistry.get(system);
        this.askTimeout = askTimeout;
        TopicKeyGroupEntity.init(system);
    }

    /** The running pipelines that read {@code stream}, as this node knows them. */
    public List<Feed> pipelinesReading(String stream) {
        return registry.reading(stream).stream()
                .filter(input -> input.running().runnable())
                .map(
                        input ->
                                new Feed(
                                        input.running().definition().name(),
                                        TopicKeyGroupEntity.fedFromTopic(input.running())
                                                ? Optional.empty()
                                                : Optional.of(
                                                        "it re-keys or joins, which needs the"
                                                                + " stream stored per key"
                                                                + " (history = 'cassandra')"),
                                        input.running().definition().keyGroups()))
                .toList();
    }

    /** {@code after} for the first records sent to a group since its partition's last commit. */
    public static final long FIRST_SINCE_COMMIT = TopicKeyGroupEntity.FIRST_SINCE_COMMIT;

    /**
     * The key group of {@code key} among {@code groups}, from 0 to {@code groups} - 1: its name's
     * hash (stable across JVMs, as {@link String#hashCode} is specified), mixed so that similar
     * names spread.
     */
    public static int keyGroupOf(String key, int groups) {
        int h = key.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), groups);
    }

    /**
     * Sends {@code records} of the keys of group {@code group}, from topic partition {@code
     * partition}, to the group. {@code after} is the offset of the record sent to the group just
     * before these, or {@link #FIRST_SINCE_COMMIT}: a group that has not applied it ignores these
     * (one message between was lost) and answers its next {@link #flush} with {@link Behind}.
     */
    public void apply(
            String pipeline, int group, String partition, long after, List<TopicRecord> records) {
        sharding.entityRefFor(
                        TopicKeyGroupEntity.TYPE_KEY, TopicKeyGroupEntity.entityId(pipeline, group))
                .tell(
                        new TopicKeyGroupEntity.Apply(
                                partition,
                                after,
                                records.stream()
                                        .map(
                                                r ->
                                                        new TopicKeyGroupEntity.TopicInput(
                                                                r.key(),
                                                                r.offset(),
                                                                r.eventTimeMillis(),
                                                                r.arrivalTimeMillis(),
                                                                r.payload()))
                                        .toList()));
    }

    /**
     * Asks key group {@code group} to checkpoint, expecting it to hold each topic partition of
     * {@code upTo} up to its offset: one journal write for all of them.
     */
    public CompletionStage<FlushResult> flush(String pipeline, int group, Map<String, Long> upTo) {
        return sharding.entityRefFor(
                        TopicKeyGroupEntity.TYPE_KEY, TopicKeyGroupEntity.entityId(pipeline, group))
                .<TopicKeyGroupEntity.FlushReply>ask(
                        replyTo -> new TopicKeyGroupEntity.Flush(upTo, replyTo), askTimeout)
                .thenApply(
                        reply ->
                                reply instanceof TopicKeyGroupEntity.Flushed f
                                        ? new Flushed(f.nextTimer())
                                        : new Behind(
                                                ((TopicKeyGroupEntity.Behind) reply)
                                                        .appliedUpTo()));
    }

    /** Journals the next timers of these key groups of {@code pipeline}; completes once durable. */
    public CompletionStage<Done> setTimers(String pipeline, Map<Integer, Long> nextTimerByGroup) {
        Map<String, Long> byEntity = new java.util.HashMap<>();
        nextTimerByGroup.forEach(
                (g, at) -> byEntity.put(TopicKeyGroupEntity.entityId(pipeline, g), at));
        return sharding.entityRefFor(StreamClock.TYPE_KEY, StreamClock.topicClockId(pipeline))
                .ask(replyTo -> new StreamClock.SetTimers(byEntity, replyTo), askTimeout);
    }

    /**
     * Reports that the key groups of {@code pipeline} checkpointed the records of topic partition
     * {@code partition} (of {@code partitions}) up to this event time; the pipeline's watermark is
     * the lowest over the partitions.
     */
    public void observed(String pipeline, int partition, int partitions, long maxEventTime) {
        if (maxEventTime != Long.MIN_VALUE) {
            sharding.entityRefFor(StreamClock.TYPE_KEY, StreamClock.topicClockId(pipeline))
                    .tell(new StreamClock.PartitionObserved(partition, partitions, maxEventTime));
        }
    }
}
