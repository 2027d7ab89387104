package io.virta.actors.internal;

import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.time.WatermarkTracker;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * INTERNAL API: what a {@link StreamClock}'s id names, and the watermark tracker its input calls
 * for. Exactly one of the three kinds:
 *
 * <ul>
 *   <li>a stored stream's clock (id = the stream): {@code stream} set;
 *   <li>the clock shared by the groups of a re-keying pipeline ({@code groups-of/<pipeline>});
 *   <li>the clock of a pipeline fed straight from a topic ({@code topic-of/<pipeline>}): {@code
 *       topicFed}.
 * </ul>
 *
 * @param stream the stored stream, or null
 * @param pipeline the pipeline of a group or topic clock, or null
 * @param topicFed whether the pipeline is fed straight from a topic
 */
record ClockInput(String stream, String pipeline, boolean topicFed) {
    static final String STAGE_PREFIX = "groups-of/";
    static final String TOPIC_PREFIX = "topic-of/";

    /** What {@code clockId} names. */
    static ClockInput of(String clockId) {
        if (clockId.startsWith(TOPIC_PREFIX)) {
            return new ClockInput(null, clockId.substring(TOPIC_PREFIX.length()), true);
        }
        if (clockId.startsWith(STAGE_PREFIX)) {
            return new ClockInput(null, clockId.substring(STAGE_PREFIX.length()), false);
        }
        return new ClockInput(clockId, null, false);
    }

    /**
     * A tracker with the input's out-of-orderness, idle timeout and partitions, seeded with the
     * highest event time journaled ({@code WatermarkTracker.NONE}: none). A topic clock is not
     * seeded: its partitions report again after a restart, and seeding one partition with the
     * highest time would run the watermark ahead of the slowest partition.
     */
    WatermarkTracker newTracker(ActorSystem<?> system, long journaledMaxEventTime) {
        SourceDescription source = source(system);
        Duration outOfOrder = source == null ? Duration.ZERO : source.outOfOrderness();
        Duration idle = source == null ? Duration.ZERO : source.idleTimeout();
        WatermarkTracker tracker = WatermarkTracker.create(partitions(system), outOfOrder, idle);
        if (journaledMaxEventTime != WatermarkTracker.NONE && !topicFed) {
            tracker = tracker.onRecord(0, journaledMaxEventTime, System.currentTimeMillis());
        }
        return tracker;
    }

    /** The input stream's description, whose out-of-orderness and idle timeout the clock keeps. */
    private SourceDescription source(ActorSystem<?> system) {
        PipelineRegistry registry = PipelineRegistry.get(system);
        if (stream != null) {
            return registry.source(stream).orElse(null);
        }
        return registry.get(pipeline)
                .filter(PipelineRegistry.Running::runnable)
                .map(r -> r.plan().source())
                .orElse(null);
    }

    /**
     * Two for the groups of an interval join, whose watermark is the smaller of its inputs'; one
     * otherwise (a topic clock grows to the topic's partitions as they report).
     */
    private int partitions(ActorSystem<?> system) {
        if (pipeline == null) {
            return 1;
        }
        return PipelineRegistry.get(system)
                .get(pipeline)
                .filter(PipelineRegistry.Running::runnable)
                .flatMap(r -> r.plan().join())
                .map(join -> join.streamTable() ? 1 : 2)
                .orElse(1);
    }

    /**
     * Tells each entity of {@code due} whose timers this clock keeps (a topic-fed key group, a
     * stored stream's pipeline key, or a re-keying pipeline's group) that the watermark reached
     * {@code watermark}, past its timer.
     */
    void tellReached(ActorSystem<?> system, List<TimerFiring.Due> due, long watermark) {
        if (due.isEmpty()) {
            return;
        }
        ClusterSharding sharding = ClusterSharding.get(system);
        for (TimerFiring.Due d : due) {
            if (topicFed) {
                sharding.entityRefFor(TopicKeyGroupEntity.TYPE_KEY, d.entityId())
                        .tell(new TopicKeyGroupEntity.WatermarkReached(watermark, d.fireAt()));
            } else if (stream != null) {
                sharding.entityRefFor(PipelineKeyEntity.TYPE_KEY, d.entityId())
                        .tell(new PipelineKeyEntity.WatermarkReached(watermark, d.fireAt()));
            } else {
                sharding.entityRefFor(PipelineGroupEntity.TYPE_KEY, d.entityId())
                        .tell(new PipelineGroupEntity.WatermarkReached(watermark, d.fireAt()));
            }
        }
    }
}
