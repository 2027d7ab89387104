package io.virta.actors.internal;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API: a pipeline entity's view of its {@link StreamClock}: the input stream's, or for the
 * groups of a re-keying pipeline, the pipeline's own. For a pipeline without windows nothing is
 * sent.
 */
final class ClockClient {
    private final EntityRef<StreamClock.Command> clock;
    private final boolean windowed;

    ClockClient(ActorSystem<?> system, String clockId, boolean windowed) {
        this.clock = ClusterSharding.get(system).entityRefFor(StreamClock.TYPE_KEY, clockId);
        this.windowed = windowed;
    }

    /** Registers {@code entityId}'s next timer. */
    void set(String entityId, long fireAt) {
        if (windowed) {
            clock.tell(new StreamClock.SetTimer(entityId, fireAt));
        }
    }

    /** Confirms {@code entityId} handled its timer at {@code fireAt}. */
    void done(String entityId, long fireAt) {
        if (windowed) {
            clock.tell(new StreamClock.TimerDone(entityId, fireAt));
        }
    }

    /**
     * Confirms topic-fed key {@code entityId} checkpointed its timer at {@code fireAt}; its next is
     * {@code next}.
     */
    void handled(String entityId, long fireAt, long next) {
        if (windowed) {
            clock.tell(new StreamClock.TimerHandled(entityId, fireAt, next));
        }
    }

    /** Reports that rows of {@code partition} up to this event time were journaled. */
    void observed(int partition, long maxEventTime) {
        if (windowed && maxEventTime != Long.MIN_VALUE) {
            clock.tell(new StreamClock.Observed(maxEventTime, partition));
        }
    }
}
