package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.StreamPosition;
import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * INTERNAL API: a sink connector writing a stream to a topic, one per connector in the cluster (a
 * sharded entity whose id is the connector's name).
 *
 * <p>It reads the whole stream through its partition logs from the position it stored, produces
 * each batch with an idempotent producer (record key = stream key, header {@code virta-event-id}),
 * and journals the position after the batch once the broker acknowledged all of it. After a crash
 * it continues from the last stored position, so the topic has no gap; the batch under way may be
 * written again, as exact repeats carrying the same event ids.
 */
public final class SinkEntity
        extends EventSourcedBehavior<SinkEntity.Command, SinkEntity.Event, SinkEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaSink");

    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    /** Commands of a sink. */
    public sealed interface Command extends CborMessage
            permits Check, Store, GetStatus, StreamEnded {}

    /** Start, or stop when the connector is gone or paused; sent every few seconds. */
    public record Check() implements Command {}

    /** A batch is in the topic: store its position, then reply. */
    public record Store(String position, long events, ActorRef<Done> replyTo) implements Command {}

    /** Asks for the sink's status. */
    public record GetStatus(ActorRef<ConnectorStatus> replyTo) implements Command {}

    /** The producing stream of {@code generation} stopped, with {@code error} or empty. */
    public record StreamEnded(int generation, String error) implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborMessage permits PositionStored {}

    /** Everything up to {@code position} is in the topic. */
    public record PositionStored(String position, long events) implements Event {}

    /**
     * @param position the stored position, or empty before the first batch
     * @param events events written so far
     */
    public record State(String position, long events) implements CborMessage {}

    /** Registers the entity type; {@code store} is the node's event store. */
    public static void init(ActorSystem<?> system, EventStore store) {
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                TYPE_KEY,
                                ctx ->
                                        Behaviors.<Command>setup(
                                                context ->
                                                        Behaviors.withTimers(
                                                                timers -> {
                                                                    timers.startTimerWithFixedDelay(
                                                                            new Check(),
                                                                            CHECK_EVERY);
                                                                    return new SinkEntity(
                                                                            context,
                                                                            ctx.getEntityId(),
                                                                            store);
                                                                }))));
    }

    private final ActorContext<Command> context;
    private final String name;
    private final EventStore store;
    private ConnectorSpec running;
    private UniqueKillSwitch killSwitch;
    private TopicWriter writer;
    private String error = "";
    private int generation;

    private SinkEntity(ActorContext<Command> context, String name, EventStore store) {
        super(PersistenceId.of(TYPE_KEY.name(), name));
        this.context = context;
        this.name = name;
        this.store = store;
    }

    @Override
    public State emptyState() {
        return new State("", 0);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(
                        Check.class,
                        (state, check) -> {
                            check(state);
                            return Effect().none();
                        })
                .onCommand(
                        Store.class,
                        (state, stored) ->
                                Effect()
                                        .persist(
                                                new PositionStored(
                                                        stored.position(),
                                                        state.events() + stored.events()))
                                        .thenRun(s -> stored.replyTo().tell(Done.getInstance())))
                .onCommand(
                        GetStatus.class,
                        (state, get) -> {
                            get.replyTo().tell(status(state));
                            return Effect().none();
                        })
                .onCommand(
                        StreamEnded.class,
                        (state, ended) -> {
                            if (ended.generation() == generation) {
                                error = ended.error();
                                stopStream();
                            }
                            return Effect().none();
                        })
                .build();
    }

    private ConnectorStatus status(State state) {
        String now = running != null ? "running" : wanted().isPresent() ? "starting" : "paused";
        return new ConnectorStatus(
                name,
                now,
                error,
                List.of(new PartitionStatus(-1, state.events(), -1, -1, -1, 0, "")),
                state.position(),
                List.of(
                        org.apache.pekko.cluster.typed.Cluster.get(context.getSystem())
                                .selfMember()
                                .address()
                                .toString()));
    }

    /** The connector as the catalog has it, unless dropped or paused. */
    private Optional<ConnectorSpec> wanted() {
        return store.connectors().current().stream()
                .filter(c -> c.spec().name().equals(name) && !c.paused())
                .map(c -> c.spec())
                .filter(
                        spec ->
                                !spec.source()
                                        && !spec.topicHistory()
                                        && SinkWriters.supports(spec))
                .findFirst();
    }

    private void check(State state) {
        Optional<ConnectorSpec> spec = wanted();
        if (running != null && (spec.isEmpty() || !spec.get().equals(running))) {
            stopStream();
        }
        if (running == null && spec.isPresent()) {
            startStream(spec.get(), state);
        }
    }

    private void startStream(ConnectorSpec spec, State state) {
        StreamPosition from =
                state.position().isEmpty()
                        ? store.streamStart()
                        : store.parsePosition(state.position());
        running = spec;
        error = "";
        int current = ++generation;
        writer = SinkWriters.writer(spec);
        TopicWriter out = writer;
        ActorRef<Command> self = context.getSelf();
        ActorSystem<?> system = context.getSystem();
        var materialized =
                store.subscribeAll(spec.stream(), from)
                        .viaMat(KillSwitches.single(), Keep.right())
                        .groupedWithin(500, Duration.ofMillis(100))
                        .mapAsync(1, batch -> out.write(batch).thenApply(v -> batch))
                        .mapAsync(
                                1,
                                batch ->
                                        AskPattern.<Command, Done>ask(
                                                self,
                                                replyTo ->
                                                        new Store(
                                                                batch.get(batch.size() - 1)
                                                                        .position()
                                                                        .toString(),
                                                                batch.size(),
                                                                replyTo),
                                                Duration.ofSeconds(10),
                                                system.scheduler()))
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        killSwitch = materialized.first();
        materialized
                .second()
                .whenComplete(
                        (done, failure) ->
                                self.tell(
                                        new StreamEnded(
                                                current,
                                                failure == null ? "" : failure.toString())));
    }

    private void stopStream() {
        if (killSwitch != null) {
            killSwitch.shutdown();
            killSwitch = null;
        }
        if (writer != null) {
            writer.close();
            writer = null;
        }
        running = null;
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(
                        PositionStored.class,
                        (state, stored) -> new State(stored.position(), stored.events()))
                .build();
    }

    @Override
    public org.apache.pekko.persistence.typed.javadsl.SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), state -> stopStream())
                .build();
    }
}
