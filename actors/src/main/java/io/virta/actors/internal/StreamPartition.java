package io.virta.actors.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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

/**
 * INTERNAL API: the ordered log of one partition of a stream: which key stored which events, in the
 * order they became durable. A subscription to a whole stream reads the logs of its partitions by
 * persistence id (not by tag, which Cassandra may deliver late or miss), and each entry's events
 * from its key's journal.
 *
 * <p>Its entity id is {@code <stream>/<partition>}; a key belongs to partition {@link
 * #partitionOf}. A key entity tells its partition after each write, and acknowledges its caller
 * only once the partition answered, so every acknowledged event is in the log. Requests that come
 * while a write is under way are journaled together in the next one. Entries never overlap: the log
 * remembers how far each key is indexed, and a request for events already indexed is answered at
 * once; a request that skips events (one lost on its way) covers them too.
 */
public final class StreamPartition
        extends EventSourcedBehavior<
                StreamPartition.Command, StreamPartition.Event, StreamPartition.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaStreamPartition");

    /** Commands of a partition log. */
    public sealed interface Command extends CborSerializable permits Index, Flush {}

    /** Key {@code key} stored its events up to {@code upTo}; reply once they are in the log. */
    public record Index(String key, long upTo, ActorRef<Indexed> replyTo) implements Command {}

    /** The answer to {@link Index}: the key's events up to {@code upTo} are in the log. */
    public record Indexed(long upTo) implements CborSerializable {}

    /** Journal what was asked since the last write. */
    public record Flush() implements Command {}

    /** What the journal holds. */
    public sealed interface Event extends CborSerializable permits Entry {}

    /** Key {@code key}'s events {@code fromSeq} to {@code toSeq} are next in the partition. */
    public record Entry(String key, long fromSeq, long toSeq) implements Event {}

    /**
     * @param indexed per key, the highest sequence number in the log
     */
    public record State(Map<String, Long> indexed) implements CborSerializable {
        public State {
            indexed = Map.copyOf(indexed);
        }

        long of(String key) {
            return indexed.getOrDefault(key, 0L);
        }

        State apply(Entry entry) {
            Map<String, Long> next = new HashMap<>(indexed);
            next.merge(entry.key(), entry.toSeq(), Math::max);
            return new State(next);
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
                                                context ->
                                                        new StreamPartition(
                                                                context, ctx.getEntityId()))));
    }

    /** The partition of {@code key} among {@code partitions}; the same on every node. */
    public static int partitionOf(String key, int partitions) {
        return Math.floorMod(key.hashCode(), partitions);
    }

    /** The entity id of partition {@code partition} of {@code stream}. */
    public static String entityId(String stream, int partition) {
        return stream + "/" + partition;
    }

    /** The persistence id of that partition's log. */
    public static PersistenceId persistenceId(String stream, int partition) {
        return PersistenceId.of(TYPE_KEY.name(), entityId(stream, partition));
    }

    private final ActorContext<Command> context;

    /** At most this many entries a write, to stay well under Cassandra's batch size limit. */
    private static final int MAX_ENTRIES_PER_WRITE = 200;

    private final Map<String, Long> pending = new LinkedHashMap<>();
    private final List<Index> waiting = new ArrayList<>();
    private boolean flushAsked;

    private StreamPartition(ActorContext<Command> context, String entityId) {
        super(PersistenceId.of(TYPE_KEY.name(), entityId));
        this.context = context;
    }

    @Override
    public State emptyState() {
        return new State(Map.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(1000, 2);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(Index.class, this::onIndex)
                .onCommand(Flush.class, this::onFlush)
                .build();
    }

    private Effect<Event, State> onIndex(State state, Index index) {
        if (index.upTo() <= state.of(index.key())) {
            index.replyTo().tell(new Indexed(state.of(index.key())));
            return Effect().none();
        }
        pending.merge(index.key(), index.upTo(), Math::max);
        waiting.add(index);
        if (!flushAsked) {
            // Behind the requests already in the mailbox, so that one write takes them all.
            flushAsked = true;
            context.getSelf().tell(new Flush());
        }
        return Effect().none();
    }

    private Effect<Event, State> onFlush(State state, Flush flush) {
        flushAsked = false;
        if (pending.isEmpty()) {
            return Effect().none();
        }
        List<Event> entries = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> asking = pending.entrySet().iterator();
        while (asking.hasNext() && entries.size() < MAX_ENTRIES_PER_WRITE) {
            Map.Entry<String, Long> asked = asking.next();
            if (asked.getValue() > state.of(asked.getKey())) {
                entries.add(
                        new Entry(asked.getKey(), state.of(asked.getKey()) + 1, asked.getValue()));
            }
            asking.remove();
        }
        List<Index> answered = new ArrayList<>();
        waiting.removeIf(index -> !pending.containsKey(index.key()) && answered.add(index));
        if (!pending.isEmpty()) {
            flushAsked = true;
            context.getSelf().tell(new Flush());
        }
        if (entries.isEmpty()) {
            answered.forEach(index -> index.replyTo().tell(new Indexed(state.of(index.key()))));
            return Effect().none();
        }
        return Effect()
                .persist(entries)
                .thenRun(
                        next -> {
                            for (Index index : answered) {
                                index.replyTo().tell(new Indexed(next.of(index.key())));
                            }
                        });
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Entry.class, State::apply).build();
    }
}
