package io.virta.actors.internal;

import io.virta.runtime.time.WatermarkTracker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * INTERNAL API: the event-time clock of one stream, and the timers of the pipeline keys that wait
 * on it.
 *
 * <p>Key entities report the highest event time they stored; the watermark is the stream's highest
 * event time minus its allowed out-of-orderness, or, once the whole stream was silent for its idle
 * timeout, catches up and moves on with processing time ({@link WatermarkTracker}). Pipeline keys
 * with open windows register their next timer here; when the watermark passes it, only those keys
 * are told, and each timer stays until its key confirms. The highest event time, the watermark
 * reached and the timers are journaled, so they survive restarts.
 *
 * <p>A re-keying pipeline's groups share a clock of their own, {@link #stageClockId}: the groups
 * report what they journaled and their timers, the clock fires them, with the out-of-orderness and
 * idle timeout of the pipeline's input stream.
 *
 * <p>A pipeline fed straight from a topic has one too, {@link #topicClockId}: its source reports
 * the event times its key groups ({@link TopicKeyGroupEntity}) flushed and their timers in batches
 * ({@link SetTimers}), and the groups confirm fired timers with their next one ({@link
 * TimerHandled}), journaled a tick later in one event.
 */
public final class StreamClock
        extends EventSourcedBehavior<StreamClock.Command, StreamClock.Event, StreamClock.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaStreamClock");

    private static final Duration TICK = Duration.ofMillis(200);
    private static final long PERSIST_PROGRESS_EVERY_MS = 1000;
    private static final long REFIRE_AFTER_MS = 10_000;

    /** The id of the clock shared by the groups of re-keying pipeline {@code pipeline}. */
    public static String stageClockId(String pipeline) {
        return ClockInput.STAGE_PREFIX + pipeline;
    }

    /**
     * The id of the clock of pipeline {@code pipeline} fed from a topic ({@link
     * TopicKeyGroupEntity}): its source reports the event times and timers of what its key groups
     * flushed.
     */
    public static String topicClockId(String pipeline) {
        return ClockInput.TOPIC_PREFIX + pipeline;
    }

    /** Commands of a stream clock. */
    public sealed interface Command extends CborSerializable
            permits Observed,
                    PartitionObserved,
                    SetTimer,
                    TimerDone,
                    GetWatermark,
                    Tick,
                    SetTimers,
                    TimerHandled {}

    /**
     * The next timers of many keys at once ({@code Long.MAX_VALUE}: none), journaled as one event;
     * {@code replyTo} hears once they are durable. A topic-fed pipeline's source sends them before
     * it commits the offsets they cover.
     */
    public record SetTimers(Map<String, Long> timers, ActorRef<org.apache.pekko.Done> replyTo)
            implements Command {
        public SetTimers {
            timers = Map.copyOf(timers);
        }
    }

    /**
     * Key {@code entityId} of a topic-fed pipeline handled its timer at {@code fireAt} and
     * journaled the result; its next timer is {@code next} ({@code Long.MAX_VALUE}: none).
     * Journaled in batches: if a crash loses it, the timer fires again and the key, having closed
     * its windows already, answers again.
     */
    public record TimerHandled(String entityId, long fireAt, long next) implements Command {}

    /**
     * A key of the stream stored events up to this event time; {@code partition} 0, or for the
     * groups of an interval join the side the rows came from (0 left, 1 right).
     */
    public record Observed(long maxEventTime, int partition) implements Command {}

    /**
     * A topic-fed pipeline's keys checkpointed the records of topic partition {@code partition} (of
     * {@code partitions}) up to this event time. The watermark is the lowest over the topic's
     * partitions, as in Flink and Kafka Streams: a partition read behind the others does not see
     * its records dropped as late.
     */
    public record PartitionObserved(int partition, int partitions, long maxEventTime)
            implements Command {}

    /** Pipeline key {@code entityId} wants to hear when the watermark reaches {@code fireAt}. */
    public record SetTimer(String entityId, long fireAt) implements Command {}

    /** Pipeline key {@code entityId} handled its timer at {@code fireAt}. */
    public record TimerDone(String entityId, long fireAt) implements Command {}

    /** Asks for the current watermark. */
    public record GetWatermark(ActorRef<Watermark> replyTo) implements Command {}

    /** The answer to {@link GetWatermark}. */
    public record Watermark(long watermark) implements CborSerializable {}

    /** Time passes: re-evaluate idleness and fire due timers. */
    public record Tick() implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable
            permits Progressed, TimerSet, TimerCleared, TimersChanged {}

    /** The stream's highest event time and watermark so far. */
    public record Progressed(long maxEventTime, long watermark) implements Event {}

    /** A pipeline key's next timer. */
    public record TimerSet(String entityId, long fireAt) implements Event {}

    /** A pipeline key's timer was handled. */
    public record TimerCleared(String entityId, long fireAt) implements Event {}

    /**
     * Many keys' timers at once: {@code cleared} ones (if still at that time) go, {@code set} ones
     * replace what their keys had.
     */
    public record TimersChanged(Map<String, Long> set, Map<String, Long> cleared) implements Event {
        public TimersChanged {
            set = Map.copyOf(set);
            cleared = Map.copyOf(cleared);
        }
    }

    /**
     * @param maxEventTime highest event time journaled
     * @param watermark watermark journaled (the watermark never goes back below it)
     * @param timers each waiting pipeline key's next timer
     */
    public record State(long maxEventTime, long watermark, Map<String, Long> timers)
            implements CborSerializable {
        public State {
            timers = Map.copyOf(timers);
        }

        State apply(Event event) {
            if (event instanceof Progressed p) {
                return new State(
                        Math.max(maxEventTime, p.maxEventTime()),
                        Math.max(watermark, p.watermark()),
                        timers);
            }
            if (event instanceof TimersChanged changed) {
                return new State(
                        maxEventTime,
                        watermark,
                        PendingTimerChanges.applied(timers, changed.set(), changed.cleared()));
            }
            Map<String, Long> next = new HashMap<>(timers);
            if (event instanceof TimerSet set) {
                next.put(set.entityId(), set.fireAt());
            } else {
                TimerCleared cleared = (TimerCleared) event;
                next.remove(cleared.entityId(), cleared.fireAt());
            }
            return new State(maxEventTime, watermark, next);
        }
    }

    /** Registers the entity type with cluster sharding. */
    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId())));
    }

    private static Behavior<Command> create(String clockId) {
        return Behaviors.setup(
                context ->
                        Behaviors.withTimers(timers -> new StreamClock(context, timers, clockId)));
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ClockInput input;
    private WatermarkTracker tracker;
    private long lastPersistedAt;
    private final TimerFiring firing;
    // The watermark of the last plan: keys told later (as others answer) close up to it.
    private long firingWatermark = WatermarkTracker.NONE;
    // A topic-fed clock's timer changes not journaled yet (journaled on the next tick).
    private final PendingTimerChanges pending = new PendingTimerChanges();

    private StreamClock(
            ActorContext<Command> context, TimerScheduler<Command> timers, String clockId) {
        // A failed journal write restarts the clock, which recovers and goes on, instead of
        // stopping it until some message happens to wake it: the keys waiting on its timers
        // would wait until then.
        super(
                PersistenceId.of(TYPE_KEY.name(), clockId),
                Backoffs.entityRestart(context.getSystem()));
        this.context = context;
        this.timers = timers;
        this.firing =
                new TimerFiring(
                        context.getSystem()
                                .settings()
                                .config()
                                .getInt("virta.actors.pipelines.timers-in-flight"),
                        REFIRE_AFTER_MS);
        this.input = ClockInput.of(clockId);
    }

    private WatermarkTracker tracker(State state) {
        if (tracker == null) {
            tracker = input.newTracker(context.getSystem(), state.maxEventTime());
        }
        return tracker;
    }

    private long watermark(State state) {
        return Math.max(state.watermark(), tracker(state).watermark());
    }

    @Override
    public State emptyState() {
        return new State(WatermarkTracker.NONE, WatermarkTracker.NONE, Map.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    /**
     * The tick starts once recovered, and again after every restart: a restart cancels the actor's
     * timers, so a tick started once at setup would stop with the first one.
     */
    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(
                        RecoveryCompleted.instance(),
                        state -> timers.startTimerWithFixedDelay(new Tick(), TICK))
                .build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(
                        Observed.class,
                        (state, observed) ->
                                observe(
                                        state,
                                        tracker(state),
                                        Math.min(
                                                observed.partition(),
                                                tracker(state).partitions() - 1),
                                        observed.maxEventTime()))
                .onCommand(
                        PartitionObserved.class,
                        (state, observed) ->
                                observe(
                                        state,
                                        tracker(state).withPartitions(observed.partitions()),
                                        observed.partition(),
                                        observed.maxEventTime()))
                .onCommand(
                        Tick.class,
                        (state, tick) -> {
                            tracker = tracker(state).onProcessingTime(System.currentTimeMillis());
                            if (!pending.isEmpty()) {
                                return journalTimerChanges().thenRun(this::fireDue);
                            }
                            return progress(state);
                        })
                .onCommand(
                        SetTimers.class,
                        (state, set) -> {
                            pending.setAll(set.timers());
                            return journalTimerChanges()
                                    .thenRun(
                                            next -> {
                                                set.replyTo().tell(org.apache.pekko.Done.done());
                                                fireDue(next);
                                            });
                        })
                .onCommand(
                        TimerHandled.class,
                        (state, handled) -> {
                            pending.handled(handled.entityId(), handled.fireAt(), handled.next());
                            tell(firing.answered(handled.entityId(), System.currentTimeMillis()));
                            if (pending.full()) {
                                return journalTimerChanges().thenRun(this::fireDue);
                            }
                            return Effect().none();
                        })
                .onCommand(
                        SetTimer.class,
                        (state, set) ->
                                Long.valueOf(set.fireAt())
                                                .equals(state.timers().get(set.entityId()))
                                        ? Effect().none()
                                        : Effect()
                                                .persist(new TimerSet(set.entityId(), set.fireAt()))
                                                .thenRun(this::fireDue))
                .onCommand(
                        TimerDone.class,
                        (state, done) -> {
                            tell(firing.answered(done.entityId(), System.currentTimeMillis()));
                            return Long.valueOf(done.fireAt())
                                            .equals(state.timers().get(done.entityId()))
                                    ? Effect()
                                            .persist(
                                                    new TimerCleared(
                                                            done.entityId(), done.fireAt()))
                                    : Effect().none();
                        })
                .onCommand(
                        GetWatermark.class,
                        (state, get) -> {
                            get.replyTo().tell(new Watermark(watermark(state)));
                            return Effect().none();
                        })
                .build();
    }

    /** {@code from} after a record of {@code partition} at {@code maxEventTime}, then progress. */
    private Effect<Event, State> observe(
            State state, WatermarkTracker from, int partition, long maxEventTime) {
        tracker = from.onRecord(partition, maxEventTime, System.currentTimeMillis());
        return progress(state);
    }

    /** Journals the topic-fed keys' timer changes gathered so far as one event. */
    private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, State>
            journalTimerChanges() {
        return Effect().persist(pending.drain());
    }

    /** Journals progress at most once a second, and fires the timers the watermark has reached. */
    private Effect<Event, State> progress(State state) {
        long now = System.currentTimeMillis();
        long watermark = watermark(state);
        boolean moved =
                tracker.maxEventTime() > state.maxEventTime() || watermark > state.watermark();
        if (moved && now - lastPersistedAt >= PERSIST_PROGRESS_EVERY_MS) {
            lastPersistedAt = now;
            return Effect()
                    .persist(new Progressed(tracker.maxEventTime(), watermark))
                    .thenRun(this::fireDue);
        }
        fireDue(state);
        return Effect().none();
    }

    /**
     * Tells the pipeline keys whose timer the watermark reached, a bounded number at a time ({@link
     * TimerFiring}); again if one did not confirm in time.
     */
    private void fireDue(State state) {
        long watermark = watermark(state);
        if (watermark == WatermarkTracker.NONE) {
            return;
        }
        firingWatermark = watermark;
        tell(firing.plan(pending.over(state.timers()), watermark, System.currentTimeMillis()));
    }

    private void tell(List<TimerFiring.Due> due) {
        input.tellReached(context.getSystem(), due, firingWatermark);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
