package io.virta.actors.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * INTERNAL API: the events of one key of one stream, as a cluster-sharded, event-sourced entity.
 *
 * <p>Its entity id is {@code <stream>/<key>}: stream names cannot contain {@code /}, so the first
 * one splits it. Each appended event is journaled under the next sequence number of the key; the
 * reply goes out only after the whole batch is persisted. An event whose id the key remembers (see
 * {@link RecentIds}) is acknowledged as a duplicate with the sequence number it was first stored
 * under, and not stored again.
 *
 * <p>Stored events are also put in the stream's partition log ({@link StreamPartition}), which
 * whole-stream subscriptions read; the caller is acknowledged only once the log has them, so an
 * acknowledged event is in both.
 */
public final class KeyEntity
        extends EventSourcedBehaviorWithEnforcedReplies<
                KeyEntity.Command, KeyEntity.Event, KeyEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaKey");

    /** Commands a key entity accepts. */
    public sealed interface Command extends CborSerializable
            permits Append, IndexDone, IndexFailed {}

    /**
     * Store {@code events} in order, then reply with an {@link Ack} holding one {@link EventAck}
     * per event, in the same order. When the entity gets to the command only after {@code
     * deadlineMillis} (epoch milliseconds, e.g. because it waited for Cassandra to come back), it
     * stores nothing and replies {@link TooLate}: its caller has given up by then and must not find
     * the events stored behind its back.
     *
     * @param events at least one event
     */
    public record Append(List<NewEvent> events, long deadlineMillis, ActorRef<AppendReply> replyTo)
            implements Command {
        public Append {
            events = List.copyOf(events);
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * An event to store.
     *
     * @param id client-given or assigned id; the de-duplication key
     * @param eventTimeMillis event time, epoch milliseconds
     * @param arrivalTimeMillis when the event reached Virta, epoch milliseconds
     * @param payload the event as compact JSON text
     */
    public record NewEvent(String id, long eventTimeMillis, long arrivalTimeMillis, String payload)
            implements CborSerializable {}

    /** The stream's partition log holds this key's events up to {@code upTo}. */
    public record IndexDone(long upTo) implements Command {}

    /** The partition log did not answer; the callers waiting for it are told to retry. */
    public record IndexFailed(String reason) implements Command {}

    /** The answers to {@link Append}. */
    public sealed interface AppendReply extends CborSerializable
            permits Ack, TooLate, Unconfirmed {}

    /** The events are durable: one entry per event, in order. */
    public record Ack(List<EventAck> events) implements AppendReply {}

    /** The command arrived after its deadline: nothing was stored. */
    public record TooLate(long deadlineMillis) implements AppendReply {}

    /**
     * The events may be stored but are not confirmed in the stream's partition log: the caller must
     * retry (the retry is recognised by the event ids and completes the log).
     */
    public record Unconfirmed(String reason) implements AppendReply {}

    /**
     * An event's sequence number; {@code duplicate} when it was stored before, under that number.
     */
    public record EventAck(long seq, boolean duplicate) implements CborSerializable {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable permits Appended {}

    /** An event stored under the next sequence number of its key. */
    public record Appended(String id, long eventTimeMillis, long arrivalTimeMillis, String payload)
            implements Event {}

    /**
     * The state of a key: its last sequence number and the ids it remembers.
     *
     * @param lastSeq sequence number of the last stored event, 0 before the first
     */
    public record State(long lastSeq, RecentIds recentIds) implements CborSerializable {
        static State empty() {
            return new State(0, RecentIds.empty());
        }

        /** This state after {@code event}, remembering at most {@code rememberedIds} ids. */
        State apply(Appended event, int rememberedIds) {
            long seq = lastSeq + 1;
            return new State(seq, recentIds.add(event.id(), seq, rememberedIds));
        }
    }

    /**
     * Registers the entity type with cluster sharding on {@code system}; stored events wake
     * pipelines.
     */
    public static void init(ActorSystem<?> system, KeyEntitySettings settings) {
        PipelineRegistry registry = PipelineRegistry.get(system);
        ClusterSharding clusterSharding = ClusterSharding.get(system);
        BiConsumer<String, Long> wakePipelines =
                (entityId, maxEventTime) -> {
                    String stream = entityId.substring(0, entityId.indexOf('/'));
                    String key = entityId.substring(entityId.indexOf('/') + 1);
                    if (registry.needsClock(stream)) {
                        clusterSharding
                                .entityRefFor(StreamClock.TYPE_KEY, stream)
                                .tell(new StreamClock.Observed(maxEventTime, 0));
                    }
                    for (PipelineRegistry.Input input : registry.reading(stream)) {
                        if (input.running().runnable()) {
                            clusterSharding
                                    .entityRefFor(PipelineKeyEntity.TYPE_KEY, input.entityId(key))
                                    .tell(new PipelineKeyEntity.Catchup());
                        }
                    }
                };
        ClusterShardingSettings defaults = ClusterShardingSettings.create(system);
        ClusterShardingSettings sharding =
                defaults.withPassivationStrategy(
                        defaults.passivationStrategySettings()
                                .withIdleEntityPassivation(settings.passivateAfterIdle()));
        PartitionIndexer indexer = PartitionIndexer.sharded(system, streamPartitions(system));
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                        TYPE_KEY,
                                        ctx ->
                                                create(
                                                        ctx.getEntityId(),
                                                        settings,
                                                        wakePipelines,
                                                        indexer))
                                .withSettings(sharding));
    }

    /** How many partition logs each stream has ({@code virta.actors.stream-partitions}). */
    public static int streamPartitions(ActorSystem<?> system) {
        return system.settings().config().getInt("virta.actors.stream-partitions");
    }

    /** The entity id of {@code key} in {@code stream}. */
    public static String entityId(String stream, String key) {
        return stream + "/" + key;
    }

    /** The persistence id under which the events of {@code key} in {@code stream} are journaled. */
    public static PersistenceId persistenceId(String stream, String key) {
        return PersistenceId.of(TYPE_KEY.name(), entityId(stream, key));
    }

    /**
     * The behavior of the entity {@code entityId}, which wakes no pipeline and keeps no partition
     * log (for tests).
     */
    public static Behavior<Command> create(String entityId, KeyEntitySettings settings) {
        return create(entityId, settings, (id, time) -> {}, PartitionIndexer.NONE);
    }

    /**
     * The behavior of the entity {@code entityId}.
     *
     * @param wakePipelines called with the entity id after events were stored, to wake the
     *     pipelines reading it
     * @param indexer puts what the key stored into its stream's partition log
     */
    public static Behavior<Command> create(
            String entityId,
            KeyEntitySettings settings,
            BiConsumer<String, Long> wakePipelines,
            PartitionIndexer indexer) {
        return Behaviors.setup(
                context ->
                        new KeyEntity(
                                context,
                                PersistenceId.of(TYPE_KEY.name(), entityId),
                                entityId,
                                settings,
                                wakePipelines,
                                indexer));
    }

    /** A caller waiting for the partition log to hold its events up to {@code upTo}. */
    private record Waiting(long upTo, ActorRef<AppendReply> replyTo, Ack ack) {}

    private final ActorContext<Command> context;
    private final String entityId;
    private final KeyEntitySettings settings;
    private final BiConsumer<String, Long> wakePipelines;
    private final PartitionIndexer indexer;
    private final List<Waiting> waiting = new ArrayList<>();
    private long indexedUpTo;

    private KeyEntity(
            ActorContext<Command> context,
            PersistenceId persistenceId,
            String entityId,
            KeyEntitySettings settings,
            BiConsumer<String, Long> wakePipelines,
            PartitionIndexer indexer) {
        super(persistenceId, settings.restartBackoff());
        this.context = context;
        this.entityId = entityId;
        this.settings = settings;
        this.wakePipelines = wakePipelines;
        this.indexer = indexer;
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(
                        RecoveryCompleted.instance(),
                        state -> {
                            // A write whose indexing a crash interrupted is completed now.
                            if (state.lastSeq() > 0) {
                                index(state.lastSeq());
                            }
                        })
                .build();
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Append.class, this::onAppend)
                .onCommand(IndexDone.class, this::onIndexDone)
                .onCommand(IndexFailed.class, this::onIndexFailed)
                .build();
    }

    private ReplyEffect<Event, State> onAppend(State state, Append append) {
        if (System.currentTimeMillis() > append.deadlineMillis()) {
            return Effect().reply(append.replyTo(), new TooLate(append.deadlineMillis()));
        }
        List<Event> toStore = new ArrayList<>(append.events().size());
        List<EventAck> acks = new ArrayList<>(append.events().size());
        Map<String, Long> storedNow = new HashMap<>();
        long seq = state.lastSeq();
        for (NewEvent event : append.events()) {
            Long earlier = state.recentIds().seqOf(event.id());
            if (earlier == null) {
                earlier = storedNow.get(event.id());
            }
            if (earlier != null) {
                acks.add(new EventAck(earlier, true));
            } else {
                seq++;
                storedNow.put(event.id(), seq);
                acks.add(new EventAck(seq, false));
                toStore.add(
                        new Appended(
                                event.id(),
                                event.eventTimeMillis(),
                                event.arrivalTimeMillis(),
                                event.payload()));
            }
        }
        Ack ack = new Ack(List.copyOf(acks));
        if (toStore.isEmpty()) {
            long upTo = acks.stream().mapToLong(EventAck::seq).max().orElse(0);
            if (upTo <= indexedUpTo) {
                return Effect().reply(append.replyTo(), ack);
            }
            // A retry of events whose indexing was not confirmed: complete the log first.
            waiting.add(new Waiting(upTo, append.replyTo(), ack));
            index(upTo);
            return Effect().noReply();
        }
        return Effect()
                .persist(toStore)
                .thenRun(
                        stored -> {
                            wakePipelines.accept(entityId, maxEventTime(toStore));
                            waiting.add(new Waiting(stored.lastSeq(), append.replyTo(), ack));
                            index(stored.lastSeq());
                        })
                .thenNoReply();
    }

    private void index(long upTo) {
        String stream = entityId.substring(0, entityId.indexOf('/'));
        String key = entityId.substring(entityId.indexOf('/') + 1);
        context.pipeToSelf(
                indexer.index(stream, key, upTo),
                (done, failure) ->
                        failure != null
                                ? new IndexFailed(failure.toString())
                                : new IndexDone(done));
    }

    private ReplyEffect<Event, State> onIndexDone(State state, IndexDone done) {
        indexedUpTo = Math.max(indexedUpTo, done.upTo());
        waiting.removeIf(
                w -> {
                    if (w.upTo() > indexedUpTo) {
                        return false;
                    }
                    w.replyTo().tell(w.ack());
                    return true;
                });
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onIndexFailed(State state, IndexFailed failed) {
        waiting.removeIf(
                w -> {
                    if (w.upTo() <= indexedUpTo) {
                        return false;
                    }
                    w.replyTo().tell(new Unconfirmed("the stream's partition log did not answer"));
                    return true;
                });
        return Effect().noReply();
    }

    private static long maxEventTime(List<Event> stored) {
        return stored.stream()
                .mapToLong(e -> ((Appended) e).eventTimeMillis())
                .max()
                .orElse(Long.MIN_VALUE);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        int remembered = settings.rememberedEventIds();
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(Appended.class, (state, event) -> state.apply(event, remembered))
                .build();
    }
}
