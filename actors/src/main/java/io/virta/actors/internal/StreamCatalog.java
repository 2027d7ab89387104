package io.virta.actors.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * INTERNAL API: the durable catalog of stream definitions, one sharded entity ({@link #ENTITY_ID})
 * for the cluster.
 *
 * <p>Definitions are immutable once made: defining a stream again with the same fields is
 * acknowledged as {@link Exists}, with different fields refused as {@link Conflict}.
 */
public final class StreamCatalog
        extends EventSourcedBehaviorWithEnforcedReplies<
                StreamCatalog.Command, StreamCatalog.Defined, StreamCatalog.State> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaCatalog");

    /** The one catalog entity of a cluster. */
    public static final String ENTITY_ID = "streams";

    /** Commands the catalog accepts. */
    public sealed interface Command extends CborSerializable permits Define, Get, ListAll {}

    /** Define a stream; replies {@link Created}, {@link Exists} or {@link Conflict}. */
    public record Define(Defined definition, ActorRef<DefineReply> replyTo) implements Command {}

    /** Look up one stream; replies with {@link Found}. */
    public record Get(String name, ActorRef<Found> replyTo) implements Command {}

    /** List every stream, by name; replies with {@link Listing}. */
    public record ListAll(ActorRef<Listing> replyTo) implements Command {}

    /** The answer to {@link Define}. */
    public sealed interface DefineReply extends CborSerializable
            permits Created, Exists, Conflict {}

    /** The stream is new and now defined. */
    public record Created(Defined definition) implements DefineReply {}

    /** An identical definition existed already; nothing changed. */
    public record Exists(Defined definition) implements DefineReply {}

    /** A different definition exists under that name; nothing changed. */
    public record Conflict(Defined existing) implements DefineReply {}

    /** The answer to {@link Get}: the definition, or {@code null} when there is none. */
    public record Found(Defined definition) implements CborSerializable {
        public Optional<Defined> asOptional() {
            return Optional.ofNullable(definition);
        }
    }

    /** The answer to {@link ListAll}. */
    public record Listing(List<Defined> definitions) implements CborSerializable {}

    /**
     * A stream definition as journaled (the catalog's only event).
     *
     * @param timestampField JSON pointer of the event time, or {@code null}
     * @param idField JSON pointer of the event id, or {@code null}
     */
    public record Defined(
            String name,
            String keyField,
            String timestampField,
            String idField,
            long definedAtMillis)
            implements CborSerializable {
        boolean sameFieldsAs(Defined other) {
            return name.equals(other.name)
                    && keyField.equals(other.keyField)
                    && Objects.equals(timestampField, other.timestampField)
                    && Objects.equals(idField, other.idField);
        }
    }

    /** Every definition by name; immutable. */
    public record State(Map<String, Defined> byName) implements CborSerializable {
        public State {
            byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        }

        State with(Defined definition) {
            Map<String, Defined> next = new TreeMap<>(byName);
            next.put(definition.name(), definition);
            return new State(next);
        }
    }

    /** Registers the catalog with cluster sharding on {@code system}. */
    public static void init(ActorSystem<?> system, BackoffSupervisorStrategy restartBackoff) {
        ClusterSharding.get(system)
                .init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), restartBackoff)));
    }

    /** The behavior of catalog entity {@code entityId}. */
    public static Behavior<Command> create(String entityId, BackoffSupervisorStrategy backoff) {
        return new StreamCatalog(PersistenceId.of(TYPE_KEY.name(), entityId), backoff);
    }

    private StreamCatalog(PersistenceId persistenceId, BackoffSupervisorStrategy backoff) {
        super(persistenceId, backoff);
    }

    @Override
    public State emptyState() {
        return new State(Map.of());
    }

    @Override
    public CommandHandlerWithReply<Command, Defined, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Define.class, this::onDefine)
                .onCommand(
                        Get.class,
                        (state, get) ->
                                Effect()
                                        .reply(
                                                get.replyTo(),
                                                new Found(state.byName().get(get.name()))))
                .onCommand(
                        ListAll.class,
                        (state, list) ->
                                Effect()
                                        .reply(
                                                list.replyTo(),
                                                new Listing(List.copyOf(state.byName().values()))))
                .build();
    }

    private ReplyEffect<Defined, State> onDefine(State state, Define define) {
        Defined wanted = define.definition();
        Defined existing = state.byName().get(wanted.name());
        if (existing == null) {
            return Effect().persist(wanted).thenReply(define.replyTo(), s -> new Created(wanted));
        }
        DefineReply reply =
                existing.sameFieldsAs(wanted) ? new Exists(existing) : new Conflict(existing);
        return Effect().reply(define.replyTo(), reply);
    }

    @Override
    public EventHandler<State, Defined> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Defined.class, State::with).build();
    }
}
