package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.virta.actors.internal.PipelineRows.Input;
import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.KeyedOperator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * INTERNAL API: one key of one running pipeline: it consumes the key's input events in order, runs
 * the plan's stateless steps and keyed operator (aggregate or pattern match), and writes the
 * outputs to the pipeline's output stream.
 *
 * <p>Its entity id is {@code <pipeline>/<input key>}. Input is read from the input key's own
 * journal by sequence number, so nothing is missed however the wake-ups ({@link Catchup}) arrive.
 * Each batch of input is journaled as one {@link Advanced} event holding the new operator state and
 * the outputs, which wait in an outbox until the output key has stored them; their ids are
 * deterministic ({@code <entity id>#<output number>}), so a redelivery after a crash is recognised
 * as a duplicate. Recovery rebuilds the same state and outbox.
 */
public final class PipelineKeyEntity
        extends EventSourcedBehavior<
                PipelineKeyEntity.Command, PipelineKeyEntity.Event, PipelineKeyEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaPipelineKey");

    private static final int READ_BATCH = 500;

    /** Commands of a pipeline key. */
    public sealed interface Command extends CborSerializable
            permits Catchup,
                    InputRead,
                    InputFailed,
                    OutputsStored,
                    DeliveryFailed,
                    Loaded,
                    WatermarkReached {}

    /** New input may be there: read it. Sent by the input key after it stored events; no reply. */
    public record Catchup() implements Command {}

    /**
     * Input read from the input key's journal, in sequence order; {@code more} when a full batch
     * came.
     */
    public record InputRead(List<Input> inputs, boolean more) implements Command {}

    /** The stream's watermark reached this key's timer at {@code fireAt}: close what it closes. */
    public record WatermarkReached(long watermark, long fireAt) implements Command {}

    /** Reading the input failed; a later wake-up tries again. */
    public record InputFailed(String reason) implements Command {}

    /** The output key stored the outbox up to this output number. */
    public record OutputsStored(long upTo) implements Command {}

    /** Storing outputs failed; they stay in the outbox and are retried. */
    public record DeliveryFailed(String reason) implements Command {}

    /** This node's registry was read again; the entity can start if its pipeline runs. */
    public record Loaded() implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable permits Advanced, Delivered {}

    /**
     * Input up to {@code inputSeq} consumed, or a timer handled at {@code watermark}, leaving the
     * operator in {@code operatorState} with these outputs.
     */
    public record Advanced(
            long inputSeq,
            @JsonTypeInfo(
                            use = JsonTypeInfo.Id.CLASS,
                            include = JsonTypeInfo.As.PROPERTY,
                            property = "@state")
                    Object operatorState,
            List<Output> outputs,
            long watermark)
            implements Event {}

    /** Outputs up to {@code upTo} are stored in the output stream. */
    public record Delivered(long upTo) implements Event {}

    /**
     * @param inputSeq the last input sequence number consumed
     * @param operatorState the keyed operator's state (an aggregate's or a pattern's), or null for
     *     a pipeline without one
     * @param outputs how many outputs were made so far
     * @param outbox outputs not yet stored in the output stream, in order
     * @param watermark the stream watermark this key has acted on (its last timer), or {@code
     *     Long.MIN_VALUE}
     */
    public record State(
            long inputSeq,
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
            outbox = List.copyOf(outbox);
        }

        State apply(Event event) {
            if (event instanceof Advanced a) {
                return new State(
                        a.inputSeq(),
                        a.operatorState(),
                        outputs + a.outputs().size(),
                        OutboxDelivery.appended(outbox, a.outputs()),
                        Math.max(watermark, a.watermark()));
            }
            long upTo = ((Delivered) event).upTo();
            return new State(
                    inputSeq,
                    operatorState,
                    outputs,
                    OutboxDelivery.after(outbox, upTo),
                    watermark);
        }
    }

    /** Registers the entity type with cluster sharding. */
    public static void init(ActorSystem<?> system, InputReader reader) {
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                TYPE_KEY,
                                ctx ->
                                        Behaviors.setup(
                                                context ->
                                                        PipelineKeyStartup.create(
                                                                context,
                                                                ctx.getEntityId(),
                                                                reader))));
    }

    /** The entity id of {@code key} in {@code pipeline}. */
    public static String entityId(String pipeline, String key) {
        return pipeline + "/" + key;
    }

    /**
     * The entity id of {@code key} of one input of {@code pipeline}: of its source ({@code side}
     * null), or of one side of its join ({@code L} or {@code R}).
     */
    public static String entityId(String pipeline, String side, String key) {
        return side == null ? entityId(pipeline, key) : pipeline + "/" + side + "/" + key;
    }

    private final ActorContext<Command> context;
    private final String entityId;
    private final String key;
    private final String source;
    private final KeyedOperator<Object> operator;
    private final InputReader reader;
    private final OutboxDelivery<Command> outbox;
    private final KeyTimer timer;
    private final PipelineKeySteps steps;
    private WatermarkReached pendingTimer;
    private boolean reading;
    private boolean readAgain;

    PipelineKeyEntity(
            ActorContext<Command> context,
            String entityId,
            String key,
            String side,
            PipelineRegistry.Running running,
            InputReader reader) {
        // A failed journal write restarts the entity, which recovers and goes on, instead of
        // stopping it until some message happens to wake it.
        super(
                PersistenceId.of(TYPE_KEY.name(), entityId),
                Backoffs.entityRestart(context.getSystem()));
        this.context = context;
        this.entityId = entityId;
        this.key = key;
        this.source =
                side == null
                        ? running.definition().source()
                        : PipelineRegistry.inputs(running).get(side.equals("L") ? 0 : 1).stream();
        this.operator = running.plan().rekeys() ? null : PipelineRows.operator(running.plan());
        this.reader = reader;
        boolean groupsElsewhere = PipelineRows.grouped(running.plan());
        // With re-keying, this key only runs the stateless steps and forwards rows to the new key's
        // group.
        OutputTarget target =
                groupsElsewhere
                        ? new GroupForwarder(context.getSystem(), running.definition().name())
                        : new OutputWriter(context.getSystem(), running.definition().name());
        this.outbox =
                new OutboxDelivery<>(
                        context, target, entityId, OutputsStored::new, DeliveryFailed::new);
        ClockClient clock =
                new ClockClient(
                        context.getSystem(),
                        source,
                        PipelineRegistry.windowed(running.plan()) && !groupsElsewhere);
        this.timer = new KeyTimer(clock, operator, entityId);
        this.steps = new PipelineKeySteps(running, operator, key, side);
    }

    @Override
    public State emptyState() {
        return new State(0, null, 0, List.of(), Long.MIN_VALUE);
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
                            context.getSelf().tell(new Catchup());
                            deliver(state);
                            timer.register(state.operatorState());
                        })
                .build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(Catchup.class, this::onCatchup)
                .onCommand(Loaded.class, (state, loaded) -> Effect().none())
                .onCommand(WatermarkReached.class, this::onWatermark)
                .onCommand(InputRead.class, this::onInput)
                .onCommand(
                        InputFailed.class,
                        (state, failed) -> {
                            reading = false;
                            context.getLog()
                                    .warn(
                                            "Reading input of {} failed: {}",
                                            entityId,
                                            failed.reason());
                            return Effect().none();
                        })
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
                            outbox.failed(failed.reason(), new Catchup());
                            return Effect().none();
                        })
                .build();
    }

    private Effect<Event, State> onCatchup(State state, Catchup catchup) {
        deliver(state);
        if (reading) {
            readAgain = true;
            return Effect().none();
        }
        reading = true;
        readAgain = false;
        context.pipeToSelf(
                reader.read(source, key, state.inputSeq() + 1, READ_BATCH),
                (inputs, failure) ->
                        failure != null
                                ? new InputFailed(failure.toString())
                                : new InputRead(inputs, inputs.size() == READ_BATCH));
        return Effect().none();
    }

    private Effect<Event, State> onInput(State state, InputRead read) {
        reading = false;
        List<Input> fresh = read.inputs().stream().filter(i -> i.seq() > state.inputSeq()).toList();
        boolean again = read.more() || readAgain;
        if (fresh.isEmpty()) {
            if (again) {
                context.getSelf().tell(new Catchup());
                return Effect().none();
            }
            return applyPendingTimer(state);
        }
        Advanced advanced = steps.advance(state, fresh);
        return Effect()
                .persist(advanced)
                .thenRun(
                        next -> {
                            deliver(next);
                            timer.register(next.operatorState());
                            // Drained or not, read again: the pending timer applies once a read
                            // finds nothing new.
                            if (again || pendingTimer != null) {
                                context.getSelf().tell(new Catchup());
                            }
                        });
    }

    /**
     * The watermark reached this key's timer. Input this key stored before the timer fired must
     * count in the windows it closes, so the key first reads its input to the end and applies the
     * timer after.
     */
    private Effect<Event, State> onWatermark(State state, WatermarkReached reached) {
        if (pendingTimer == null || reached.watermark() > pendingTimer.watermark()) {
            pendingTimer = reached;
        }
        return onCatchup(state, new Catchup());
    }

    private Effect<Event, State> applyPendingTimer(State state) {
        WatermarkReached reached = pendingTimer;
        if (reached == null) {
            return Effect().none();
        }
        pendingTimer = null;
        if (operator == null || state.operatorState() == null) {
            timer.done(reached.fireAt());
            return Effect().none();
        }
        return Effect()
                .persist(steps.onWatermark(state, reached.watermark()))
                .thenRun(
                        next -> {
                            deliver(next);
                            timer.done(reached.fireAt());
                            timer.register(next.operatorState());
                        });
    }

    /**
     * Stores the next batch of the outbox (outputs of one key, in order) unless a delivery is under
     * way.
     */
    private void deliver(State state) {
        outbox.deliver(state.outbox());
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
