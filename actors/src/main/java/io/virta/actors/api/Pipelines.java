package io.virta.actors.api;

import io.virta.actors.internal.Futures;
import io.virta.actors.internal.PipelineKeyEntity;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.SqlDdl;
import io.virta.actors.internal.StreamCatalog;
import io.virta.actors.internal.StreamCatalog.PipelineCreated;
import io.virta.runtime.sql.ast.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Streaming SQL declarations and the pipelines they make, kept in the cluster's durable catalog.
 * Obtain it from {@link EventStore#pipelines()}.
 *
 * <p>A script's statements apply in order, each seeing what the ones before made; the first failure
 * stops the script (the rest are {@code SKIPPED}) and what was made before it stays. Every answer
 * reflects a durable catalog: it completes only once the catalog has journaled the change.
 *
 * <pre>{@code
 * store.pipelines().submit(List.of(
 *         "CREATE STREAM purchases (customer STRING, amount DOUBLE) WITH (KEY='customer')",
 *         "CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000"), "latest")
 *     .thenAccept(results -> results.forEach(System.out::println));
 * }</pre>
 */
public final class Pipelines {
    private static final int WAKE_UPS_PER_SECOND = 200;

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;
    private final PipelineRegistry registry;
    private final scala.concurrent.ExecutionContextExecutor executorContext;
    private final Function<String, CompletionStage<List<String>>> inputKeys;
    private final SqlInserts inserts;

    Pipelines(
            ActorSystem<?> system,
            ClusterSharding sharding,
            Duration askTimeout,
            Executor executor,
            Function<String, CompletionStage<List<String>>> inputKeys,
            SqlInserts.Appender appender) {
        this.system = system;
        this.sharding = sharding;
        this.askTimeout = askTimeout;
        this.executor = executor;
        this.registry = PipelineRegistry.get(system);
        this.executorContext = system.executionContext();
        this.inputKeys = inputKeys;
        this.inserts = new SqlInserts(registry, appender);
    }

    /**
     * Reads the cluster's catalog (declarations, pipelines, connectors) into this node: completes
     * once this node holds a copy, exceptionally when the catalog did not answer within the ask
     * timeout. Nothing needs it first, as every node reads the catalog again every {@code
     * virta.actors.pipelines.refresh-interval}; a node that awaits it before it takes requests has
     * its catalog's entity recovered before its first declaration arrives instead of during it.
     */
    public CompletionStage<Void> loadCatalog() {
        return registry.refresh()
                .thenRun(
                        () -> {
                            if (!registry.loaded()) {
                                throw new IllegalStateException(
                                        "the catalog did not answer; this node reads it again"
                                                + " on its next refresh");
                            }
                        });
    }

    /**
     * Applies {@code statements}, each the text of one statement.
     *
     * @param start where new pipelines start in their input: {@code latest} or {@code earliest}
     * @throws IllegalArgumentException when {@code start} is neither
     */
    public CompletionStage<List<StatementResult>> submit(List<String> statements, String start) {
        if (!start.equals("latest") && !start.equals("earliest")) {
            throw new IllegalArgumentException(
                    "start must be 'latest' or 'earliest', was '" + start + "'");
        }
        return run(List.copyOf(statements), 0, start, new ArrayList<>());
    }

    /**
     * Runs the statements from {@code from} on, in order: declarations through the catalog, each
     * INSERT as an append once the statements before it are made; after a failure the rest are
     * skipped.
     */
    private CompletionStage<List<StatementResult>> run(
            List<String> statements, int from, String start, List<StatementResult> done) {
        if (from == statements.size()) {
            return CompletableFuture.completedFuture(List.copyOf(done));
        }
        if (!done.isEmpty() && !done.get(done.size() - 1).succeeded()) {
            for (String text : statements.subList(from, statements.size())) {
                done.add(
                        new StatementResult(
                                text, "SKIPPED", "", "", "an earlier statement failed", 0, 0));
            }
            return CompletableFuture.completedFuture(List.copyOf(done));
        }
        String first = statements.get(from);
        Optional<Statement.InsertValues> insert = SqlInserts.insert(first);
        if (insert.isPresent()) {
            return inserts.run(first, insert.get())
                    .thenCompose(
                            result -> {
                                done.add(result);
                                return run(statements, from + 1, start, done);
                            });
        }
        int until = from + 1;
        while (until < statements.size() && SqlInserts.insert(statements.get(until)).isEmpty()) {
            until++;
        }
        int next = until;
        return declare(statements.subList(from, until), start)
                .thenCompose(
                        results -> {
                            done.addAll(results);
                            return run(statements, next, start, done);
                        });
    }

    /** Applies declarations through the catalog, then starts the pipelines they made. */
    private CompletionStage<List<StatementResult>> declare(List<String> statements, String start) {
        return ask(
                        (ActorRef<StreamCatalog.SqlApplied> replyTo) ->
                                new StreamCatalog.ApplySql(List.copyOf(statements), start, replyTo),
                        "applying SQL")
                .thenCompose(applied -> registry.refresh().thenApply(v -> applied))
                .thenApply(
                        applied -> {
                            backfill(applied.outcomes());
                            return applied;
                        })
                .thenApply(
                        applied ->
                                applied.outcomes().stream()
                                        .map(
                                                o ->
                                                        new StatementResult(
                                                                o.statement(),
                                                                o.status(),
                                                                o.kind(),
                                                                o.name(),
                                                                o.detail(),
                                                                o.line(),
                                                                o.column()))
                                        .toList());
    }

    /**
     * Wakes every key of the input of each pipeline just made to start from the earliest event, so
     * it consumes the input's history. Keys that store new events wake their pipelines by
     * themselves.
     */
    private void backfill(List<SqlDdl.Outcome> outcomes) {
        for (SqlDdl.Outcome o : outcomes) {
            if (o.status().equals("CREATED") && o.kind().equals("PIPELINE")) {
                registry.get(o.name())
                        .filter(p -> p.runnable() && p.definition().start().equals("earliest"))
                        .ifPresent(this::wakeEveryKey);
            }
        }
    }

    /**
     * Wakes every key of every running pipeline, once the catalog is loaded: a wake-up lost when a
     * node stopped (between a key storing events and its pipeline key consuming them) is made good
     * here, so no input and no window waits for a next event. Cost: one short journal read per
     * input key and pipeline.
     */
    void wakeAllAfterStart(org.apache.pekko.actor.typed.Scheduler scheduler, int attemptsLeft) {
        registry.refresh()
                .thenRun(
                        () -> {
                            if (registry.loaded()) {
                                registry.all().stream()
                                        .filter(PipelineRegistry.Running::runnable)
                                        .forEach(this::wakeEveryKey);
                            } else if (attemptsLeft > 0) {
                                scheduler.scheduleOnce(
                                        Duration.ofSeconds(2),
                                        () -> wakeAllAfterStart(scheduler, attemptsLeft - 1),
                                        executorContext);
                            }
                        });
    }

    private void wakeEveryKey(PipelineRegistry.Running pipeline) {
        for (PipelineRegistry.Input input : PipelineRegistry.inputs(pipeline)) {
            inputKeys
                    .apply(input.stream())
                    .thenAccept(
                            keys ->
                                    // Throttled: every woken key recovers from Cassandra, which a
                                    // burst would swamp.
                                    Source.from(keys)
                                            .throttle(WAKE_UPS_PER_SECOND, Duration.ofSeconds(1))
                                            .runForeach(
                                                    key ->
                                                            sharding.entityRefFor(
                                                                            PipelineKeyEntity
                                                                                    .TYPE_KEY,
                                                                            input.entityId(key))
                                                                    .tell(
                                                                            new PipelineKeyEntity
                                                                                    .Catchup()),
                                                    system));
        }
    }

    /** The running pipelines, ordered by name. */
    public CompletionStage<List<PipelineInfo>> list() {
        return registry.refresh()
                .thenCompose(v -> ask(StreamCatalog.ListPipelines::new, "listing pipelines"))
                .thenApply(listing -> listing.pipelines().stream().map(this::info).toList());
    }

    /** The running pipeline {@code name}, if there is one. */
    public CompletionStage<Optional<PipelineInfo>> get(String name) {
        // Refreshed first, so the state reported is this node's current view.
        return registry.refresh()
                .thenCompose(
                        v ->
                                ask(
                                        (ActorRef<StreamCatalog.PipelineFound> replyTo) ->
                                                new StreamCatalog.GetPipeline(name, replyTo),
                                        "looking up pipeline '" + name + "'"))
                .thenApply(found -> Optional.ofNullable(found.pipeline()).map(this::info));
    }

    /**
     * Stops pipeline {@code name} for good; its output stream stays. Empty when none ran by that
     * name.
     */
    public CompletionStage<Optional<PipelineInfo>> drop(String name) {
        return ask(
                        (ActorRef<StreamCatalog.PipelineFound> replyTo) ->
                                new StreamCatalog.DropPipeline(name, replyTo),
                        "dropping pipeline '" + name + "'")
                .thenApply(found -> Optional.ofNullable(found.pipeline()).map(this::info));
    }

    private <R> CompletionStage<R> ask(
            Function<ActorRef<R>, StreamCatalog.Command> command, String what) {
        EntityRef<StreamCatalog.Command> catalog =
                sharding.entityRefFor(StreamCatalog.TYPE_KEY, StreamCatalog.ENTITY_ID);
        return Futures.on(catalog.<R>ask(command::apply, askTimeout), executor)
                .handle(
                        (reply, failure) -> {
                            if (failure != null) {
                                throw new StoreUnavailableException(
                                        what
                                                + " failed: the catalog did not answer ("
                                                + failure.getMessage()
                                                + ")",
                                        List.of(),
                                        failure);
                            }
                            return reply;
                        });
    }

    private PipelineInfo info(PipelineCreated p) {
        String reason =
                registry.get(p.name())
                        .map(r -> r.runnable() ? "" : r.unsupported())
                        .orElse("this node has not loaded it yet");
        return new PipelineInfo(
                p.name(),
                p.sql(),
                p.source(),
                p.start(),
                p.plan(),
                Instant.ofEpochMilli(p.createdAtMillis()),
                reason.isEmpty() ? "running" : "not running",
                reason,
                p.keyGroups());
    }
}
