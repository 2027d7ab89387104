package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.internal.PipelineRows.Output;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * INTERNAL API: one key group of a pipeline fed straight from a topic, whose records are not stored
 * again in Cassandra: the topic is the log. A key group holds the state of every key of the
 * pipeline that hashes to it ({@link io.virta.actors.api.TopicFeeds#keyGroupOf}), as a Kafka
 * Streams task or a Flink key group does, so that a commit interval costs one journal write per
 * group instead of one per key, and a key seen for the first time costs no recovery of its own.
 *
 * <p>Its entity id is {@code <pipeline>/<group>}. The pipeline's source sends it the records of its
 * keys ({@link Apply}) with their topic partition and offset; it runs each under its key through
 * the plan in memory at once and remembers, per partition, the last offset applied. On {@link
 * Flush} (once per commit interval of the source) it journals one {@link Checkpointed} event: the
 * states of the keys that changed, the offsets it covers and the outputs made since the last one.
 * The source commits its offsets only after every group that got records up to them has
 * checkpointed, so after a crash the topic is read again from the committed offsets and each group
 * skips what its checkpoint already covers: every record counts exactly once in the state. Outputs
 * leave the outbox only once checkpointed, so a record whose effect was lost is never seen outside
 * either.
 *
 * <p>A table's changes (an aggregate without window) are coalesced per key and checkpoint, as a
 * Kafka Streams cache does. The group registers its earliest timer with the pipeline's clock; when
 * the watermark reaches it, every key whose timer it passed closes what it closes, the group
 * checkpoints at once and confirms with its next timer. A key whose state becomes empty (its
 * windows all closed) is forgotten, so memory follows the keys with open state.
 */
public final class TopicKeyGroupEntity
        extends EventSourcedBehavior<
                TopicKeyGroupEntity.Command, TopicKeyGroupEntity.Event, TopicKeyGroupState> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaTopicKeyGroup");

    /** Commands of a key group of a topic-fed pipeline. */
    public sealed interface Command extends CborSerializable
            permits Apply,
                    Flush,
                    WatermarkReached,
                    OutputsStored,
                    DeliveryFailed,
                    Redeliver,
                    Loaded {}

    /**
     * A record of key {@code key} read from the topic, its value parsed already (read, never
     * changed: the sender keeps it to send again).
     */
    public record TopicInput(
            String key,
            long offset,
            long eventTimeMillis,
            long arrivalTimeMillis,
            ObjectNode payload)
            implements CborSerializable {}

    /** {@link Apply#after} when the sender sent this group nothing since the last commit. */
    public static final long FIRST_SINCE_COMMIT = Long.MIN_VALUE;

    /**
     * Records of the group's keys from topic partition {@code partition}, in offset order; those at
     * or below the offset the group already applied are skipped. {@code after} is the offset of the
     * record the sender sent this group just before these ({@link #FIRST_SINCE_COMMIT}: none since
     * the partition's last commit): when the group has not applied it, a message in between was
     * lost (a full shard buffer, a restart) and these are ignored, so that the group never runs
     * ahead of a gap; its next {@link Flush} then answers {@link Behind} and the sender sends them
     * again. No reply: {@link Flush} is the barrier.
     */
    public record Apply(String partition, long after, List<TopicInput> inputs) implements Command {
        public Apply {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * Checkpoint what was applied; the sender expects records of each topic partition of {@code
     * upTo} up to its offset to be in it. One flush covers every partition that sent the group
     * records since the last, so that a commit interval costs the group one journal write however
     * many partitions feed it.
     */
    public record Flush(Map<String, Long> upTo, ActorRef<FlushReply> replyTo) implements Command {
        public Flush {
            upTo = Map.copyOf(upTo);
        }
    }

    /** The answers to {@link Flush}. */
    public sealed interface FlushReply extends CborSerializable permits Flushed, Behind {}

    /**
     * Checkpointed everything the flush asked for; {@code nextTimer} is the group's next timer, the
     * earliest of its keys' ({@code Long.MAX_VALUE}: none).
     */
    public record Flushed(long nextTimer) implements FlushReply {}

    /**
     * Of these partitions, records after the offset given (the last applied, -1 for none) never
     * arrived (the group restarted or moved): send them again. Nothing was checkpointed.
     */
    public record Behind(Map<String, Long> appliedUpTo) implements FlushReply {
        public Behind {
            appliedUpTo = Map.copyOf(appliedUpTo);
        }
    }

    /** The pipeline's watermark reached this group's timer at {@code fireAt}. */
    public record WatermarkReached(long watermark, long fireAt) implements Command {}

    /** The output key stored the outbox up to this output number. */
    public record OutputsStored(long upTo) implements Command {}

    /** Storing outputs failed; they stay in the outbox and are retried. */
    public record DeliveryFailed(String reason) implements Command {}

    /** Try the outbox again after a failed delivery. */
    public record Redeliver() implements Command {}

    /** This node's registry was read again; the entity can start if its pipeline runs. */
    public record Loaded() implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable permits Checkpointed, Delivered {}

    /**
     * The group after every record up to {@code offsets} (last offset applied per partition) and
     * timers up to {@code watermark}: the keys whose state changed with their new state, the keys
     * whose state became empty, and the outputs made since the previous checkpoint.
     */
    public record Checkpointed(
            Map<String, Long> offsets,
            @JsonTypeInfo(
                            use = JsonTypeInfo.Id.CLASS,
                            include = JsonTypeInfo.As.PROPERTY,
                            property = "@state")
                    Map<String, Object> states,
            List<String> removed,
            List<Output> outputs,
            long watermark)
            implements Event {
        public Checkpointed {
            offsets = Map.copyOf(offsets);
            states = Map.copyOf(states);
            removed = List.copyOf(removed);
            outputs = List.copyOf(outputs);
        }
    }

    /** Outputs up to {@code upTo} are stored in the output stream. */
    public record Delivered(long upTo) implements Event {}

    /** Registers the entity type with cluster sharding. */
    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                TYPE_KEY,
                                ctx ->
                                        Behaviors.setup(
                                                context -> create(context, ctx.getEntityId()))));
    }

    /** The entity id of key group {@code group} of {@code pipeline}. */
    public static String entityId(String pipeline, int group) {
        return pipeline + "/" + group;
    }

    private static Behavior<Command> create(ActorContext<Command> context, String entityId) {
        String pipeline = entityId.substring(0, entityId.indexOf('/'));
        String group = entityId.substring(entityId.indexOf('/') + 1);
        return PipelineStartup.whenKnown(
                context,
                pipeline,
                new Loaded(),
                Loaded.class,
                () -> {
                    PipelineRegistry.Running running =
                            PipelineRegistry.get(context.getSystem()).get(pipeline).orElse(null);
                    if (running == null || !running.runnable() || !fedFromTopic(running)) {
                        context.getLog()
                                .info(
                                        "Pipeline {} is not fed from a topic here; key group {}"
                                                + " stops",
                                        pipeline,
                                        group);
                        return Behaviors.stopped();
                    }
                    return new TopicKeyGroupEntity(context, entityId, running);
                });
    }

    /**
     * Whether {@code running} can be fed straight from a topic: its keyed state stays on the input
     * key (no re-keying before an aggregate or match, no join).
     */
    public static boolean fedFromTopic(PipelineRegistry.Running running) {
        return !PipelineRows.grouped(running.plan()) && !running.plan().rekeys();
    }

    private final ActorContext<Command> context;
    private final String entityId;
    private final TopicKeyGroupWork.Plan plan;
    private final int snapshotEvery;
    private final OutboxDelivery<Command> outbox;
    private final ClockClient clock;
    private TopicKeyGroupWork working;

    private TopicKeyGroupEntity(
            ActorContext<Command> context, String entityId, PipelineRegistry.Running running) {
        // A failed journal write restarts the entity, which recovers and goes on, instead of
        // stopping it until some message happens to wake it.
        super(
                PersistenceId.of(TYPE_KEY.name(), entityId),
                Backoffs.entityRestart(context.getSystem()));
        this.context = context;
        this.entityId = entityId;
        this.plan = new TopicKeyGroupWork.Plan(running);
        com.typesafe.config.Config config =
                context.getSystem().settings().config().getConfig("virta.actors.topic-key-groups");
        this.snapshotEvery = config.getInt("snapshot-every");
        this.outbox =
                new OutboxDelivery<>(
                        context,
                        new OutputWriter(context.getSystem(), running.definition().name()),
                        entityId,
                        OutputsStored::new,
                        DeliveryFailed::new,
                        config.getInt("delivery-batch"),
                        config.getInt("delivery-parallelism"));
        this.clock =
                new ClockClient(
                        context.getSystem(),
                        StreamClock.topicClockId(running.definition().name()),
                        PipelineRegistry.windowed(running.plan()));
    }

    @Override
    public TopicKeyGroupState emptyState() {
        return TopicKeyGroupState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
    }

    @Override
    public SignalHandler<TopicKeyGroupState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(
                        RecoveryCompleted.instance(),
                        state -> {
                            // A restart after a failed write keeps this object: work done since
                            // the journal's last event starts again from what the journal holds,
                            // and the sender's next flush learns what to send again (Behind).
                            working = null;
                            deliver(state);
                        })
                .build();
    }

    @Override
    public CommandHandler<Command, Event, TopicKeyGroupState> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(Apply.class, this::onApply)
                .onCommand(Flush.class, this::onFlush)
                .onCommand(WatermarkReached.class, this::onWatermark)
                .onCommand(Loaded.class, (state, loaded) -> Effect().none())
                .onCommand(
                        Redeliver.class,
                        (state, again) -> {
                            deliver(state);
                            return Effect().none();
                        })
                .onCommand(
                        OutputsStored.class,
                        (state, stored) -> {
                            outbox.settled();
                            return Effect()
                                    .persist(new Delivered(stored.upTo()))
                                    .thenRun(this::deliver)
                                    .thenRun(next -> outbox.runIfDelivered(next.outbox()));
                        })
                .onCommand(
                        DeliveryFailed.class,
                        (state, failed) -> {
                            outbox.failed(failed.reason(), new Redeliver());
                            return Effect().none();
                        })
                .build();
    }

    private TopicKeyGroupWork working(TopicKeyGroupState state) {
        if (working == null) {
            working = TopicKeyGroupWork.from(state);
        }
        return working;
    }

    private Effect<Event, TopicKeyGroupState> onApply(TopicKeyGroupState state, Apply apply) {
        TopicKeyGroupWork w = working(state);
        if (w.continues(apply.partition(), apply.after())) {
            plan.apply(w, apply.partition(), apply.inputs());
        }
        return Effect().none();
    }

    private Effect<Event, TopicKeyGroupState> onFlush(TopicKeyGroupState state, Flush flush) {
        TopicKeyGroupWork w = working(state);
        Map<String, Long> behind = w.behind(flush.upTo());
        if (!behind.isEmpty()) {
            flush.replyTo().tell(new Behind(behind));
            return Effect().none();
        }
        if (!w.aheadOf(state)) {
            whenDelivered(state, () -> flushed(flush, state));
            return Effect().none();
        }
        return checkpoint(state, w)
                .thenRun(next -> whenDelivered(next, () -> flushed(flush, next)));
    }

    /**
     * The watermark passed this group's timer: every key whose timer it passed closes what it
     * closes; checkpoint at once (the source may have nothing more for these keys), then confirm
     * with the group's next timer.
     */
    private Effect<Event, TopicKeyGroupState> onWatermark(
            TopicKeyGroupState state, WatermarkReached reached) {
        TopicKeyGroupWork w = working(state);
        if (!plan.keyed() || w.empty()) {
            clock.handled(entityId, reached.fireAt(), Long.MAX_VALUE);
            return Effect().none();
        }
        plan.onWatermark(w, reached.watermark());
        return checkpoint(state, w)
                .thenRun(
                        next ->
                                whenDelivered(
                                        next,
                                        () ->
                                                clock.handled(
                                                        entityId,
                                                        reached.fireAt(),
                                                        plan.nextTimer(next.states().values()))));
    }

    private void flushed(Flush flush, TopicKeyGroupState state) {
        flush.replyTo().tell(new Flushed(plan.nextTimer(state.states().values())));
    }

    private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, TopicKeyGroupState>
            checkpoint(TopicKeyGroupState state, TopicKeyGroupWork w) {
        Checkpointed checkpoint = w.checkpoint(state);
        // Commands wait while the event is written; a failed write restarts the entity, whose
        // recovery drops this work (see the signal handler).
        w.checkpointed();
        return Effect().persist(checkpoint).thenRun(this::deliver);
    }

    private void deliver(TopicKeyGroupState state) {
        outbox.deliver(state.outbox());
    }

    /**
     * Runs {@code then} once the outbox of {@code state} is stored: the source commits offsets, and
     * the clock forgets a timer, only once the results they cover are out, so that a crash never
     * leaves outputs in a key nothing will wake again.
     */
    private void whenDelivered(TopicKeyGroupState state, Runnable then) {
        outbox.whenDelivered(state.outbox(), then);
    }

    @Override
    public EventHandler<TopicKeyGroupState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(TopicKeyGroupState::apply);
    }
}
