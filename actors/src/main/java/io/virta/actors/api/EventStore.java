package io.virta.actors.api;

import com.typesafe.config.Config;
import io.virta.actors.internal.AppendBatches;
import io.virta.actors.internal.Backoffs;
import io.virta.actors.internal.Futures;
import io.virta.actors.internal.KeyEntity;
import io.virta.actors.internal.KeyEntitySettings;
import io.virta.actors.internal.KeyJournalReads;
import io.virta.actors.internal.PipelineGroupEntity;
import io.virta.actors.internal.PipelineKeyEntity;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.SqlDdl;
import io.virta.actors.internal.StreamCatalog;
import io.virta.actors.internal.StreamClock;
import io.virta.actors.internal.StreamPartition;
import io.virta.runtime.stream.KeyedEvent;
import io.virta.runtime.stream.StreamDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Stores and replays the events of each (stream, key), and keeps the catalog of streams.
 *
 * <p>Every key of every stream is its own cluster-sharded, event-sourced entity, journaled in
 * Cassandra. A future returned here completes only once what it reports is durable; it fails with
 * {@link OverloadedException} when this node has too many appends in flight (nothing stored), and
 * with {@link StoreUnavailableException} when the store does not acknowledge in time (what is
 * durable is listed in the exception). One instance per actor system: {@link #create} registers the
 * entities with cluster sharding.
 *
 * <pre>{@code
 * EventStore store = EventStore.create(system);
 * store.define(StreamDefinition.of("orders", "/customer"))
 *     .thenCompose(defined -> store.append("orders", "alice", events))
 *     .thenAccept(results -> results.forEach(System.out::println));
 * }</pre>
 */
public final class EventStore {
    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final KeyEntitySettings keySettings;
    private final Duration askTimeout;
    private final Duration appendDeadline;
    private final Duration replayTimeout;
    private final int maxInFlightAppends;
    private final Semaphore appendPermits;
    private final ConcurrentMap<String, StreamDefinition> definitions = new ConcurrentHashMap<>();
    private final CassandraReadJournal readJournal;
    private final int partitions;
    private final Connectors connectors;
    private final PartitionReads partitionReads;
    private final Pipelines pipelines;
    private final Tables tables;
    private final TopicFeeds topicFeeds;
    private final Executor executor;

    private EventStore(ActorSystem<?> system) {
        Config config = system.settings().config();
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.keySettings = KeyEntitySettings.fromConfig(config);
        this.askTimeout = config.getDuration("virta.actors.ask-timeout");
        // An append must start within four fifths of the ask timeout, leaving the rest for the
        // write itself.
        this.appendDeadline = askTimeout.multipliedBy(4).dividedBy(5);
        this.replayTimeout = config.getDuration("virta.actors.replay-timeout");
        this.maxInFlightAppends = config.getInt("virta.actors.max-in-flight-appends");
        this.appendPermits = new Semaphore(maxInFlightAppends);
        KeyEntity.init(system, keySettings);
        StreamCatalog.init(
                system,
                Backoffs.fromConfig(config.getConfig("virta.actors.catalog.restart-backoff")));
        this.executor = system.executionContext();
        this.readJournal =
                PersistenceQuery.get(system.classicSystem())
                        .getReadJournalFor(
                                CassandraReadJournal.class, CassandraReadJournal.Identifier());
        KeyJournalReads reads = new KeyJournalReads(system, readJournal, replayTimeout);
        this.partitions = KeyEntity.streamPartitions(system);
        this.partitionReads =
                new PartitionReads(
                        readJournal,
                        system,
                        system.settings()
                                .config()
                                .getInt("virta.actors.subscriptions.recent-entries"));
        this.pipelines =
                new Pipelines(system, sharding, askTimeout, executor, reads::keys, this::append);
        PipelineKeyEntity.init(system, reads);
        this.tables = new Tables(PipelineRegistry.get(system), reads, reads);
        this.connectors =
                new Connectors(
                        sharding, askTimeout, executor, PipelineRegistry.get(system), pipelines);
        StreamClock.init(system);
        this.topicFeeds = new TopicFeeds(system, askTimeout);
        StreamPartition.init(system);
        PipelineGroupEntity.init(system);
        pipelines.wakeAllAfterStart(system.scheduler(), 30);
    }

    /** Reads the tables that pipelines make. */
    public Tables tables() {
        return tables;
    }

    /** The SQL declarations and pipelines of the cluster's catalog. */
    public Pipelines pipelines() {
        return pipelines;
    }

    /** The connectors to Kafka and Pulsar declared in the catalog. */
    public Connectors connectors() {
        return connectors;
    }

    /** Feeds pipelines straight from topics (source connectors with {@code history = 'topic'}). */
    public TopicFeeds topicFeeds() {
        return topicFeeds;
    }

    /** Registers Virta's entities on {@code system} and returns the store that talks to them. */
    public static EventStore create(ActorSystem<?> system) {
        return new EventStore(system);
    }

    /**
     * Defines a stream durably. Defining an existing stream again with the same fields is a no-op
     * ({@code EXISTS}); with different fields it changes nothing and reports {@code CONFLICT}.
     */
    public CompletionStage<DefineOutcome> define(StreamDefinition definition) {
        StreamCatalog.Defined wanted =
                new StreamCatalog.Defined(
                        definition.name(),
                        definition.keyField(),
                        definition.timestampField().orElse(null),
                        definition.idField().orElse(null),
                        System.currentTimeMillis(),
                        null);
        return Futures.on(
                        catalog()
                                .<StreamCatalog.DefineReply>ask(
                                        replyTo -> new StreamCatalog.Define(wanted, replyTo),
                                        askTimeout),
                        executor)
                .handle((reply, failure) -> outcome(reply, failure));
    }

    private DefineOutcome outcome(StreamCatalog.DefineReply reply, Throwable failure) {
        if (failure != null) {
            throw unavailable("defining a stream", failure);
        }
        DefineOutcome outcome;
        if (reply instanceof StreamCatalog.Created c) {
            outcome = new DefineOutcome(DefineOutcome.Status.CREATED, toDefinition(c.definition()));
        } else if (reply instanceof StreamCatalog.Exists e) {
            outcome = new DefineOutcome(DefineOutcome.Status.EXISTS, toDefinition(e.definition()));
        } else {
            StreamCatalog.Conflict c = (StreamCatalog.Conflict) reply;
            outcome = new DefineOutcome(DefineOutcome.Status.CONFLICT, toDefinition(c.existing()));
        }
        if (outcome.status() != DefineOutcome.Status.CONFLICT) {
            definitions.put(outcome.definition().name(), outcome.definition());
        }
        return outcome;
    }

    /**
     * The definition of stream {@code name}, if there is one. Definitions never change once made,
     * so a found one is cached on this node.
     */
    public CompletionStage<Optional<StreamDefinition>> describe(String name) {
        StreamDefinition cached = definitions.get(name);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return Futures.on(
                        catalog()
                                .<StreamCatalog.Found>ask(
                                        replyTo -> new StreamCatalog.Get(name, replyTo),
                                        askTimeout),
                        executor)
                .handle(
                        (found, failure) -> {
                            if (failure != null) {
                                throw unavailable("looking up stream '" + name + "'", failure);
                            }
                            Optional<StreamDefinition> definition =
                                    found.asOptional().map(EventStore::toDefinition);
                            definition.ifPresent(d -> definitions.put(name, d));
                            return definition;
                        });
    }

    /** Every stream, ordered by name. */
    public CompletionStage<List<StreamDefinition>> list() {
        return Futures.on(
                        catalog()
                                .<StreamCatalog.Listing>ask(StreamCatalog.ListAll::new, askTimeout),
                        executor)
                .handle(
                        (listing, failure) -> {
                            if (failure != null) {
                                throw unavailable("listing streams", failure);
                            }
                            return listing.definitions().stream()
                                    .map(EventStore::toDefinition)
                                    .toList();
                        });
    }

    /**
     * Appends {@code events}, all of {@code key}, in order. Completes once every one is durable (or
     * known as a duplicate), with one result per event in the same order. Large appends go in
     * several atomic batches, one after the other (see {@code
     * virta.actors.key-entity.max-batch-*}).
     *
     * @param arrivalMillis the events' arrival time, epoch milliseconds
     */
    public CompletionStage<List<AppendResult>> append(
            String stream, String key, List<KeyedEvent> events, long arrivalMillis) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!appendPermits.tryAcquire()) {
            return CompletableFuture.failedFuture(
                    new OverloadedException(
                            "this node has "
                                    + maxInFlightAppends
                                    + " appends in flight (virta.actors.max-in-flight-appends); retry later"));
        }
        EntityRef<KeyEntity.Command> entity =
                sharding.entityRefFor(KeyEntity.TYPE_KEY, KeyEntity.entityId(stream, key));
        CompletableFuture<List<AppendResult>> done =
                AppendBatches.sendInOrder(
                        entity,
                        key,
                        AppendBatches.split(events, arrivalMillis, keySettings),
                        askTimeout,
                        appendDeadline,
                        executor);
        // On the future itself, so that callers see its own failure, not one wrapped by a stage.
        done.whenComplete((results, failure) -> appendPermits.release());
        return done;
    }

    /**
     * The events of {@code key} in {@code stream} from sequence number {@code fromSeq} on, in
     * order, then the new ones as they are stored; the source never completes on its own. It reads
     * the key's journal at its own pace, so a slow reader lags behind and nothing buffers without
     * bound or slows anyone else. New events appear within {@code
     * pekko.persistence.cassandra.query.refresh-interval}.
     */
    public Source<StoredEvent, NotUsed> subscribe(String stream, String key, long fromSeq) {
        return readJournal
                .eventsByPersistenceId(
                        KeyEntity.persistenceId(stream, key).id(), fromSeq, Long.MAX_VALUE)
                .map(PartitionReads::storedEvent);
    }

    /**
     * The events of every key of {@code stream} after {@code from}, then the new ones as they are
     * stored; never completes on its own. Each key's events come in sequence order; keys of
     * different partitions interleave as they come. Each event carries the position after it, to
     * resume from with no gap and no duplicate. Read at the subscriber's pace, like {@link
     * #subscribe(String, String, long)}.
     *
     * @param from a position of this stream, or {@link #streamStart()}
     */
    public Source<PositionedEvent, NotUsed> subscribeAll(String stream, StreamPosition from) {
        if (from.partitions() != partitions) {
            throw new IllegalArgumentException(
                    "a position of "
                            + from.partitions()
                            + " partitions; streams have "
                            + partitions);
        }
        return partitionReads.subscribe(stream, from);
    }

    /** The position before the first event of any stream. */
    public StreamPosition streamStart() {
        return StreamPosition.start(partitions);
    }

    /** Reads a position of a whole-stream subscription, as its events carry it. */
    public StreamPosition parsePosition(String text) {
        return StreamPosition.parse(text, partitions);
    }

    /**
     * The events of {@code key} in {@code stream} that {@code query} selects, in sequence order.
     */
    public CompletionStage<List<StoredEvent>> replay(String stream, String key, ReplayQuery query) {
        String persistenceId = KeyEntity.persistenceId(stream, key).id();
        CompletionStage<List<StoredEvent>> read =
                readJournal
                        .currentEventsByPersistenceId(
                                persistenceId, query.fromSeq(), Long.MAX_VALUE)
                        .map(PartitionReads::storedEvent)
                        .filter(event -> query.covers(event.eventTimeMillis()))
                        .take(query.limit())
                        .completionTimeout(replayTimeout)
                        .runWith(Sink.seq(), system);
        return Futures.on(read, executor)
                .handle(
                        (events, failure) -> {
                            if (failure != null) {
                                throw unavailable("replaying key '" + key + "'", failure);
                            }
                            return events;
                        });
    }

    /**
     * Every key of {@code stream} that has stored events, for pipelines that start from the
     * earliest.
     */

    /**
     * Completes with true when this node is an Up cluster member and Cassandra answers a query
     * within the ask timeout; false otherwise. Never fails.
     */
    public CompletionStage<Boolean> ready() {
        if (!VirtaCluster.isUp(system)) {
            return CompletableFuture.completedFuture(false);
        }
        return Futures.on(
                        readJournal.session().selectOne("SELECT now() FROM system.local"), executor)
                .orTimeout(askTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((row, failure) -> failure == null && row.isPresent());
    }

    private EntityRef<StreamCatalog.Command> catalog() {
        return sharding.entityRefFor(StreamCatalog.TYPE_KEY, StreamCatalog.ENTITY_ID);
    }

    private static StreamDefinition toDefinition(StreamCatalog.Defined d) {
        StreamDefinition definition =
                StreamDefinition.of(d.name(), d.keyField(), d.timestampField(), d.idField());
        return d.sql() == null
                ? definition
                : definition.withColumns(SqlDdl.declaredColumns(d.sql()));
    }

    private StoreUnavailableException unavailable(String what, Throwable failure) {
        return new StoreUnavailableException(
                what + " failed: the store did not answer (" + failure.getMessage() + ")",
                List.of(),
                failure);
    }
}
