package io.virta.actors.internal;

import io.virta.runtime.time.WatermarkTracker;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API: a pipeline key's view of its input stream's {@link StreamClock}. For a pipeline
 * without windows there is no clock to ask: the watermark is then {@link WatermarkTracker#NONE}.
 */
final class ClockClient {
    private final EntityRef<StreamClock.Command> clock;
    private final boolean windowed;
    private final Duration askTimeout;
    private final Executor executor;

    ClockClient(ActorSystem<?> system, String stream, boolean windowed) {
        this.clock = ClusterSharding.get(system).entityRefFor(StreamClock.TYPE_KEY, stream);
        this.windowed = windowed;
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        this.executor = system.executionContext();
    }

    /** Registers {@code entityId}'s next timer. */
    void set(String entityId, long fireAt) {
        clock.tell(new StreamClock.SetTimer(entityId, fireAt));
    }

    /** Confirms {@code entityId} handled its timer at {@code fireAt}. */
    void done(String entityId, long fireAt) {
        clock.tell(new StreamClock.TimerDone(entityId, fireAt));
    }
}
