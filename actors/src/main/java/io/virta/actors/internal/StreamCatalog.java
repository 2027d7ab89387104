package io.virta.actors.internal;

import io.virta.actors.api.ConnectorSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
                StreamCatalog.Command, StreamCatalog.CatalogEvent, CatalogState> {

    public static final EntityTypeKey<Command> TYPE_KEY =
            EntityTypeKey.create(Command.class, "VirtaCatalog");

    /** The one catalog entity of a cluster. */
    public static final String ENTITY_ID = "streams";

    /** Commands the catalog accepts. */
    public sealed interface Command extends CborSerializable
            permits Define,
                    Get,
                    ListAll,
                    ApplySql,
                    GetPipeline,
                    ListPipelines,
                    DropPipeline,
                    PauseConnector,
                    GetState {}

    /** Define a stream; replies {@link Created}, {@link Exists} or {@link Conflict}. */
    public record Define(Defined definition, ActorRef<DefineReply> replyTo) implements Command {}

    /** Look up one stream; replies with {@link Found}. */
    public record Get(String name, ActorRef<Found> replyTo) implements Command {}

    /** List every stream, by name; replies with {@link Listing}. */
    public record ListAll(ActorRef<Listing> replyTo) implements Command {}

    /**
     * Apply SQL statements in order (see {@link SqlDdl}); replies with one outcome per statement.
     *
     * @param statements the text of each statement, one statement each
     * @param start where new pipelines start in their input: {@code latest} or {@code earliest}
     */
    public record ApplySql(List<String> statements, String start, ActorRef<SqlApplied> replyTo)
            implements Command {}

    /** The answer to {@link ApplySql}. */
    public record SqlApplied(List<SqlDdl.Outcome> outcomes) implements CborSerializable {}

    /** Look up one running pipeline; replies with {@link PipelineFound}. */
    public record GetPipeline(String name, ActorRef<PipelineFound> replyTo) implements Command {}

    /**
     * The answer to {@link GetPipeline}: the pipeline, or {@code null} when none runs by that name.
     */
    public record PipelineFound(PipelineCreated pipeline) implements CborSerializable {}

    /** List the running pipelines, by name; replies with {@link PipelineListing}. */
    public record ListPipelines(ActorRef<PipelineListing> replyTo) implements Command {}

    /** The answer to {@link ListPipelines}. */
    public record PipelineListing(List<PipelineCreated> pipelines) implements CborSerializable {}

    /** Stop a pipeline for good; replies whether one ran by that name. Its output stream stays. */
    public record DropPipeline(String name, ActorRef<PipelineFound> replyTo) implements Command {}

    /** The whole catalog state, for nodes that compile the running pipelines; replies with it. */
    public record GetState(ActorRef<CatalogState> replyTo) implements Command {}

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

    /** What the catalog journals. */
    public sealed interface CatalogEvent extends CborSerializable
            permits Defined,
                    PipelineCreated,
                    PipelineDropped,
                    ConnectorCreated,
                    ConnectorDropped,
                    ConnectorPaused {}

    /**
     * A stream definition.
     *
     * @param timestampField JSON pointer of the event time, or {@code null}
     * @param idField JSON pointer of the event id, or {@code null}
     * @param sql the SQL statement that declared the stream (a CREATE with columns, or the CREATE
     *     ... AS SELECT of the pipeline that writes it), or {@code null} for a stream defined over
     *     HTTP
     */
    public record Defined(
            String name,
            String keyField,
            String timestampField,
            String idField,
            long definedAtMillis,
            String sql)
            implements CatalogEvent {
        boolean sameFieldsAs(Defined other) {
            return name.equals(other.name)
                    && keyField.equals(other.keyField)
                    && Objects.equals(timestampField, other.timestampField)
                    && Objects.equals(idField, other.idField);
        }
    }

    /**
     * A persistent query: it reads {@code source} and writes the stream named {@code name}.
     *
     * @param sql its CREATE ... AS SELECT statement
     * @param start where it starts in its input: {@code latest} or {@code earliest}
     * @param plan its steps, one line each, as planned when it was made
     * @param keyGroups how many key groups its keys are spread over when it is fed from a topic,
     *     fixed at its creation as a key's group is where its state lives; {@link
     *     io.virta.actors.api.TopicFeeds#LEGACY_KEY_GROUPS} for pipelines made before it was
     *     recorded (read back as 0)
     */
    public record PipelineCreated(
            String name,
            String sql,
            String source,
            String start,
            List<String> plan,
            long createdAtMillis,
            int keyGroups)
            implements CatalogEvent {
        public PipelineCreated {
            if (keyGroups <= 0) {
                keyGroups = io.virta.actors.api.TopicFeeds.LEGACY_KEY_GROUPS;
            }
        }
    }

    /** A pipeline stopped for good; the stream it wrote stays, with what it holds. */
    public record PipelineDropped(String name, long droppedAtMillis) implements CatalogEvent {}

    /**
     * A connector was declared.
     *
     * @param sql its CREATE ... CONNECTOR statement
     * @param paused true while it is paused
     */
    public record ConnectorCreated(
            ConnectorSpec spec, String sql, long createdAtMillis, boolean paused)
            implements CatalogEvent {
        ConnectorCreated withPaused(boolean now) {
            return new ConnectorCreated(spec, sql, createdAtMillis, now);
        }
    }

    /** A connector stopped for good. */
    public record ConnectorDropped(String name, long droppedAtMillis) implements CatalogEvent {}

    /** A connector was paused ({@code paused}) or resumed. */
    public record ConnectorPaused(String name, boolean paused, long atMillis)
            implements CatalogEvent {}

    /** Pause or resume connector {@code name}; the reply holds it after, or null if unknown. */
    public record PauseConnector(String name, boolean paused, ActorRef<ConnectorFound> replyTo)
            implements Command {}

    /** A connector, or null. */
    public record ConnectorFound(ConnectorCreated connector) implements CborSerializable {}

    /** Registers the catalog with cluster sharding on {@code system}. */
    public static void init(ActorSystem<?> system, BackoffSupervisorStrategy restartBackoff) {
        SqlDdl.Defaults defaults =
                new SqlDdl.Defaults(
                        defaultServers(system),
                        system.settings().config().getInt("virta.actors.topic-key-groups.count"));
        ClusterSharding.get(system)
                .init(
                        Entity.of(
                                TYPE_KEY,
                                ctx -> create(ctx.getEntityId(), restartBackoff, defaults)));
    }

    /** The servers connector declarations get when they name none, by type, from config. */
    static Map<String, String> defaultServers(ActorSystem<?> system) {
        var config = system.settings().config().getConfig("virta.actors.connector-defaults");
        Map<String, String> servers = new java.util.HashMap<>();
        for (String type : List.of("kafka", "pulsar")) {
            String value = config.getString(type + "-servers");
            if (!value.isBlank()) {
                servers.put(type, value);
            }
        }
        return Map.copyOf(servers);
    }

    /** The behavior of catalog entity {@code entityId}. */
    public static Behavior<Command> create(String entityId, BackoffSupervisorStrategy backoff) {
        return create(entityId, backoff, SqlDdl.Defaults.NONE);
    }

    /** The same, with {@code defaults} for what declarations leave out. */
    public static Behavior<Command> create(
            String entityId, BackoffSupervisorStrategy backoff, SqlDdl.Defaults defaults) {
        return new StreamCatalog(PersistenceId.of(TYPE_KEY.name(), entityId), backoff, defaults);
    }

    private final SqlDdl.Defaults defaults;

    private StreamCatalog(
            PersistenceId persistenceId,
            BackoffSupervisorStrategy backoff,
            SqlDdl.Defaults defaults) {
        super(persistenceId, backoff);
        this.defaults = defaults;
    }

    @Override
    public CatalogState emptyState() {
        return CatalogState.empty();
    }

    @Override
    public CommandHandlerWithReply<Command, CatalogEvent, CatalogState> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Define.class, this::onDefine)
                .onCommand(ApplySql.class, this::onApplySql)
                .onCommand(
                        GetPipeline.class,
                        (state, get) ->
                                Effect()
                                        .reply(
                                                get.replyTo(),
                                                new PipelineFound(
                                                        state.pipelines().get(get.name()))))
                .onCommand(
                        ListPipelines.class,
                        (state, list) ->
                                Effect()
                                        .reply(
                                                list.replyTo(),
                                                new PipelineListing(state.pipelinesByName())))
                .onCommand(DropPipeline.class, this::onDropPipeline)
                .onCommand(PauseConnector.class, this::onPauseConnector)
                .onCommand(GetState.class, (state, get) -> Effect().reply(get.replyTo(), state))
                .onCommand(
                        Get.class,
                        (state, get) ->
                                Effect()
                                        .reply(
                                                get.replyTo(),
                                                new Found(state.streams().get(get.name()))))
                .onCommand(
                        ListAll.class,
                        (state, list) ->
                                Effect().reply(list.replyTo(), new Listing(state.streamsByName())))
                .build();
    }

    private ReplyEffect<CatalogEvent, CatalogState> onDefine(CatalogState state, Define define) {
        Defined wanted = define.definition();
        Defined existing = state.streams().get(wanted.name());
        if (existing == null) {
            return Effect().persist(wanted).thenReply(define.replyTo(), s -> new Created(wanted));
        }
        DefineReply reply =
                existing.sameFieldsAs(wanted) ? new Exists(existing) : new Conflict(existing);
        return Effect().reply(define.replyTo(), reply);
    }

    private ReplyEffect<CatalogEvent, CatalogState> onApplySql(CatalogState state, ApplySql apply) {
        SqlDdl.Result result =
                SqlDdl.apply(
                        state,
                        apply.statements(),
                        apply.start(),
                        System.currentTimeMillis(),
                        defaults);
        SqlApplied reply = new SqlApplied(result.outcomes());
        if (result.events().isEmpty()) {
            return Effect().reply(apply.replyTo(), reply);
        }
        return Effect().persist(result.events()).thenReply(apply.replyTo(), s -> reply);
    }

    private ReplyEffect<CatalogEvent, CatalogState> onDropPipeline(
            CatalogState state, DropPipeline drop) {
        PipelineCreated running = state.pipelines().get(drop.name());
        if (running == null) {
            return Effect().reply(drop.replyTo(), new PipelineFound(null));
        }
        return Effect()
                .persist(new PipelineDropped(drop.name(), System.currentTimeMillis()))
                .thenReply(drop.replyTo(), s -> new PipelineFound(running));
    }

    private ReplyEffect<CatalogEvent, CatalogState> onPauseConnector(
            CatalogState state, PauseConnector pause) {
        ConnectorCreated connector = state.connectors().get(pause.name());
        if (connector == null || connector.paused() == pause.paused()) {
            return Effect().reply(pause.replyTo(), new ConnectorFound(connector));
        }
        return Effect()
                .persist(
                        new ConnectorPaused(
                                pause.name(), pause.paused(), System.currentTimeMillis()))
                .thenReply(
                        pause.replyTo(), s -> new ConnectorFound(s.connectors().get(pause.name())));
    }

    @Override
    public EventHandler<CatalogState, CatalogEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(CatalogState::apply);
    }
}
