package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
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
 * INTERNAL API: one new key of a re-keying pipeline (a {@code GROUP BY} or MATCH_RECOGNIZE {@code
 * PARTITION BY} on another column than the input's key): it runs the keyed operator over the rows
 * that the input keys' {@link PipelineKeyEntity}s forward to it and writes the results to the
 * output stream.
 *
 * <p>Its entity id is {@code <pipeline>/<group key>}. Rows arrive numbered per sender; the entity
 * journals, per sender, the highest number it aggregated, so a redelivered row is acknowledged and
 * not counted twice. Results wait in an outbox like those of a pipeline key; the rows themselves
 * are journaled too, so a table's row can be rebuilt as of an event time.
 *
 * <p>Windows: the groups of a pipeline share a clock of their own ({@link
 * StreamClock#stageClockId}), fed with the event times the groups journaled, as Kafka Streams
 * derives a repartitioned task's stream time from the records that reached it. A row still on its
 * way when that watermark passed its window (beyond the input stream's out-of-orderness) is late:
 * it goes to the late side stream and is counted, never dropped silently.
 */
public final class PipelineGroupEntity
        extends EventSourcedBehavior<
                PipelineGroupEntity.Command, PipelineGroupEntity.Event, PipelineGroupEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaPipelineGroup");

    /** Commands of a group. */
    public sealed interface Command extends CborSerializable
            permits Forward, OutputsStored, DeliveryFailed, Retry, WatermarkReached {}

    /** Rows for this group from {@code sender}, numbered by it; replies once they are journaled. */
    public record Forward(String sender, List<Output> rows, ActorRef<Forwarded> replyTo)
            implements Command {}

    /**
     * The answer to {@link Forward}: everything up to {@code upTo} from that sender is aggregated.
     */
    public record Forwarded(long upTo) implements CborSerializable {}

    /** The output stream stored the outbox up to this number. */
    public record OutputsStored(long upTo) implements Command {}

    /** Storing outputs failed; they stay in the outbox. */
    public record DeliveryFailed(String reason) implements Command {}

    /** Try delivering the outbox again. */
    public record Retry() implements Command {}

    /** The groups' watermark reached this group's timer at {@code fireAt}. */
    public record WatermarkReached(long watermark, long fireAt) implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable permits Grouped, Ticked, Delivered {}

    /**
     * Rows of {@code sender} up to {@code upTo} aggregated, leaving {@code operatorState} and these
     * outputs.
     *
     * @param rows the rows aggregated, as they came
     */
    public record Grouped(
            String sender,
            long upTo,
            List<Output> rows,
            @JsonTypeInfo(
                            use = JsonTypeInfo.Id.CLASS,
                            include = JsonTypeInfo.As.PROPERTY,
                            property = "@state")
                    Object operatorState,
            List<Output> outputs)
            implements Event {}

    /** The watermark reached {@code watermark}, closing windows into these outputs. */
    public record Ticked(
            long watermark,
            @JsonTypeInfo(
                            use = JsonTypeInfo.Id.CLASS,
                            include = JsonTypeInfo.As.PROPERTY,
                            property = "@state")
                    Object operatorState,
            List<Output> outputs)
            implements Event {}

    /** Outputs up to {@code upTo} are stored in the output stream. */
    public record Delivered(long upTo) implements Event {}

    /**
     * @param consumed per sender, the highest row number aggregated
     * @param operatorState the keyed operator's state
     * @param outputs how many outputs were made so far
     * @param outbox outputs not yet stored in the output stream, in order
     * @param watermark the watermark this group acted on (its last timer), or {@code
     *     Long.MIN_VALUE}
     */
    public record State(
            Map<String, Long> consumed,
            @JsonTypeInfo(
                            use = JsonTypeInfo.Id.CLASS,
                            include = JsonTypeInfo.As.PROPERTY,
                            property = "@state")
                    Object operatorState,
            long outputs,
            List<Output> outbox,
            long watermark)
            implements CborSerializable {
        public State {
            consumed = Map.copyOf(consumed);
            outbox = List.copyOf(outbox);
        }

        State apply(Event event) {
            if (event instanceof Grouped g) {
                Map<String, Long> nextConsumed = new HashMap<>(consumed);
                nextConsumed.put(g.sender(), g.upTo());
                return new State(
                        nextConsumed,
                        g.operatorState(),
                        outputs + g.outputs().size(),
                        append(g.outputs()),
                        watermark);
            }
            if (event instanceof Ticked t) {
                return new State(
                        consumed,
                        t.operatorState(),
                        outputs + t.outputs().size(),
                        append(t.outputs()),
                        Math.max(watermark, t.watermark()));
            }
            long upTo = ((Delivered) event).upTo();
            return new State(
                    consumed,
                    operatorState,
                    outputs,
                    OutboxDelivery.after(outbox, upTo),
                    watermark);
        }

        private List<Output> append(List<Output> more) {
            return OutboxDelivery.appended(outbox, more);
        }
    }

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

    /** The entity id of group {@code key} of {@code pipeline}. */
    public static String entityId(String pipeline, String key) {
        return pipeline + "/" + key;
    }

    private static Behavior<Command> create(ActorContext<Command> context, String entityId) {
        String pipeline = entityId.substring(0, entityId.indexOf('/'));
        PipelineRegistry.Running running =
                PipelineRegistry.get(context.getSystem()).get(pipeline).orElse(null);
        if (running == null
                || (running.plan().keyed().isEmpty() && running.plan().join().isEmpty())) {
            context.getLog().info("Pipeline {} groups nothing here; {} stops", pipeline, entityId);
            return Behaviors.stopped();
        }
        return new PipelineGroupEntity(context, entityId, running);
    }

    private final ActorContext<Command> context;
    private final String entityId;
    private final String key;
    private final KeyedOperator<Object> operator;
    private final KeyedOperator<Object> rightOperator;
    private final Step.Join join;
    private final OutboxDelivery<Command> outbox;
    private final ClockClient clock;
    private final KeyTimer timer;

    private PipelineGroupEntity(
            ActorContext<Command> context, String entityId, PipelineRegistry.Running running) {
        // A failed journal write restarts the entity, which recovers and goes on, instead of
        // stopping it until some message happens to wake it.
        super(
                PersistenceId.of(TYPE_KEY.name(), entityId),
                Backoffs.entityRestart(context.getSystem()));
        this.context = context;
        this.entityId = entityId;
        this.key = entityId.substring(entityId.indexOf('/') + 1);
        this.join = running.plan().join().orElse(null);
        if (join != null) {
            @SuppressWarnings("unchecked")
            KeyedJoinOperator<Object> joins = (KeyedJoinOperator<Object>) join.operator();
            this.operator = joins.side(JoinSide.LEFT);
            this.rightOperator = joins.side(JoinSide.RIGHT);
        } else {
            this.operator = PipelineRows.operator(running.plan());
            this.rightOperator = null;
        }
        this.outbox =
                new OutboxDelivery<>(
                        context,
                        new OutputWriter(context.getSystem(), running.definition().name()),
                        entityId,
                        OutputsStored::new,
                        DeliveryFailed::new);
        String pipeline = running.definition().name();
        this.clock =
                new ClockClient(
                        context.getSystem(),
                        StreamClock.stageClockId(pipeline),
                        PipelineRegistry.windowed(running.plan()));
        this.timer = new KeyTimer(clock, operator, entityId);
    }

    @Override
    public State emptyState() {
        return new State(Map.of(), null, 0, List.of(), Long.MIN_VALUE);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(
                        RecoveryCompleted.instance(),
                        state -> {
                            deliver(state);
                            timer.register(state.operatorState());
                        })
                .build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(Forward.class, this::onForward)
                .onCommand(WatermarkReached.class, this::onWatermark)
                .onCommand(
                        OutputsStored.class,
                        (state, stored) -> {
                            outbox.settled();
                            return Effect()
                                    .persist(new Delivered(stored.upTo()))
                                    .thenRun(this::deliver);
                        })
                .onCommand(
                        DeliveryFailed.class,
                        (state, failed) -> {
                            outbox.failed(failed.reason(), new Retry());
                            return Effect().none();
                        })
                .onCommand(
                        Retry.class,
                        (state, retry) -> {
                            deliver(state);
                            return Effect().none();
                        })
                .build();
    }

    private Effect<Event, State> onForward(State state, Forward forward) {
        long done = state.consumed().getOrDefault(forward.sender(), 0L);
        List<Output> fresh = forward.rows().stream().filter(r -> r.number() > done).toList();
        if (fresh.isEmpty()) {
            forward.replyTo().tell(new Forwarded(done));
            return Effect().none();
        }
        boolean right = join != null && isRight(forward.sender());
        KeyedOperator<Object> op = right ? rightOperator : operator;
        Object operatorState =
                state.operatorState() == null ? op.initialState() : state.operatorState();
        List<Row> rows = new ArrayList<>();
        List<Row> late = new ArrayList<>();
        long maxEventTime = Long.MIN_VALUE;
        for (Output row : fresh) {
            Row input = Row.of(key, row.eventTimeMillis(), PipelineRows.parse(row.payload()));
            Transition<Object> t = op.onRecord(operatorState, input, state.watermark());
            operatorState = t.state();
            rows.addAll(t.outputs());
            late.addAll(t.late());
            maxEventTime = Math.max(maxEventTime, row.eventTimeMillis());
        }
        List<Output> outputs = PipelineRows.outputs(state.outputs(), rows, late, key);
        long upTo = fresh.get(fresh.size() - 1).number();
        long observed = maxEventTime;
        return Effect()
                .persist(new Grouped(forward.sender(), upTo, fresh, operatorState, outputs))
                .thenRun(
                        next -> {
                            forward.replyTo().tell(new Forwarded(upTo));
                            deliver(next);
                            // Only journaled rows move the groups' watermark.
                            if (!right) {
                                clock.observed(0, observed);
                            } else if (!join.streamTable()) {
                                clock.observed(1, observed);
                            }
                            timer.register(next.operatorState());
                        });
    }

    /**
     * True when {@code sender}, a pipeline key {@code <pipeline>/<side>/<key>}, reads the right
     * input of the join.
     */
    private static boolean isRight(String sender) {
        int slash = sender.indexOf('/');
        return sender.startsWith("R/", slash + 1);
    }

    /**
     * Closes the windows the watermark passed. Every row this group acknowledged is already in its
     * state, so unlike a pipeline key it has no input to read first.
     */
    private Effect<Event, State> onWatermark(State state, WatermarkReached reached) {
        if (state.operatorState() == null || reached.watermark() <= state.watermark()) {
            timer.done(reached.fireAt());
            return Effect().none();
        }
        Transition<Object> t =
                operator.onWatermark(state.operatorState(), key, reached.watermark());
        List<Output> outputs = PipelineRows.outputs(state.outputs(), t.outputs(), List.of(), key);
        return Effect()
                .persist(new Ticked(reached.watermark(), t.state(), outputs))
                .thenRun(
                        next -> {
                            deliver(next);
                            timer.done(reached.fireAt());
                            timer.register(next.operatorState());
                        });
    }

    private void deliver(State state) {
        outbox.deliver(state.outbox());
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
