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
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * INTERNAL API: the events of one key of one stream, as a cluster-sharded, event-sourced entity.
 *
 * <p>Its entity id is {@code <stream>/<key>}: stream names cannot contain {@code /}, so the first
 * one splits it. Each appended event is journaled under the next sequence number of the key; the
 * reply goes out only after the whole batch is persisted. An event whose id the key remembers (see
 * {@link RecentIds}) is acknowledged as a duplicate with the sequence number it was first stored
 * under, and not stored again.
 */
public final class KeyEntity
        extends EventSourcedBehaviorWithEnforcedReplies<
                KeyEntity.Command, KeyEntity.Event, KeyEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaKey");

    /** Commands a key entity accepts. */
    public sealed interface Command extends CborSerializable permits Append {}

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

    /** The answers to {@link Append}. */
    public sealed interface AppendReply extends CborSerializable permits Ack, TooLate {}

    /** The events are durable: one entry per event, in order. */
    public record Ack(List<EventAck> events) implements AppendReply {}

    /** The command arrived after its deadline: nothing was stored. */
    public record TooLate(long deadlineMillis) implements AppendReply {}

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
                                .tell(new StreamClock.Observed(maxEventTime));
                    }
                    for (PipelineRegistry.Running p : registry.reading(stream)) {
                        if (p.runnable()) {
                            clusterSharding
                                    .entityRefFor(
                                            PipelineKeyEntity.TYPE_KEY,
                                            PipelineKeyEntity.entityId(p.definition().name(), key))
                                    .tell(new PipelineKeyEntity.Catchup());
                        }
                    }
                };
        ClusterShardingSettings defaults = ClusterShardingSettings.create(system);
        ClusterShardingSettings sharding =
                defaults.withPassivationStrategy(
                        defaults.passivationStrategySettings()
                                .withIdleEntityPassivation(settings.passivateAfterIdle()));
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                        TYPE_KEY,
                                        ctx -> create(ctx.getEntityId(), settings, wakePipelines))
                                .withSettings(sharding));
    }

    /** The entity id of {@code key} in {@code stream}. */
    public static String entityId(String stream, String key) {
        return stream + "/" + key;
    }

    /** The persistence id under which the events of {@code key} in {@code stream} are journaled. */
    public static PersistenceId persistenceId(String stream, String key) {
        return PersistenceId.of(TYPE_KEY.name(), entityId(stream, key));
    }

    /** The behavior of the entity {@code entityId}, which wakes no pipeline (for tests). */
    public static Behavior<Command> create(String entityId, KeyEntitySettings settings) {
        return create(entityId, settings, (id, time) -> {});
    }

    /**
     * The behavior of the entity {@code entityId}.
     *
     * @param wakePipelines called with the entity id after events were stored, to wake the
     *     pipelines reading it
     */
    public static Behavior<Command> create(
            String entityId, KeyEntitySettings settings, BiConsumer<String, Long> wakePipelines) {
        return new KeyEntity(
                PersistenceId.of(TYPE_KEY.name(), entityId), entityId, settings, wakePipelines);
    }

    private final String entityId;
    private final KeyEntitySettings settings;
    private final BiConsumer<String, Long> wakePipelines;

    private KeyEntity(
            PersistenceId persistenceId,
            String entityId,
            KeyEntitySettings settings,
            BiConsumer<String, Long> wakePipelines) {
        super(persistenceId, settings.restartBackoff());
        this.entityId = entityId;
        this.settings = settings;
        this.wakePipelines = wakePipelines;
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
            return Effect().reply(append.replyTo(), ack);
        }
        return Effect()
                .persist(toStore)
                .thenRun(stored -> wakePipelines.accept(entityId, maxEventTime(toStore)))
                .thenReply(append.replyTo(), stored -> ack);
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
