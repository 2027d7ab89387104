package io.virta.actors.internal;

import io.virta.actors.internal.StreamCatalog.PipelineCreated;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: this node's compiled copy of the running pipelines, by name and by the stream they
 * read.
 *
 * <p>The catalog entity is the truth; this copy is refreshed from it every {@code
 * virta.actors.pipelines.refresh-interval}, and at once after a change made through this node. Key
 * entities use it to wake the pipelines that read their stream; pipeline entities to find their
 * plan.
 */
public final class PipelineRegistry implements Extension {
    private static final Logger log = LoggerFactory.getLogger(PipelineRegistry.class);

    /** A running pipeline with its plan; {@code plan} is null when it could not be planned here. */
    public record Running(PipelineCreated definition, QueryPlan plan, String unsupported) {
        /** True when this node can run the pipeline. */
        public boolean runnable() {
            return plan != null && unsupported == null;
        }

        /**
         * Input that arrived before this time is skipped: the pipeline's creation for one started
         * from the latest, nothing otherwise.
         */
        public long notBefore() {
            return definition.start().equals("latest")
                    ? definition.createdAtMillis()
                    : Long.MIN_VALUE;
        }
    }

    /**
     * One input of a running pipeline: the stream it reads and, for a join, its side ({@code L} or
     * {@code R}; null otherwise). Each (input, key) has its own {@link PipelineKeyEntity}.
     */
    public record Input(Running running, String stream, String side) {
        /** The entity id of the pipeline key that reads {@code key} of this input. */
        public String entityId(String key) {
            return PipelineKeyEntity.entityId(running.definition().name(), side, key);
        }
    }

    /** The inputs of {@code running}: its source, or both sides of its join. */
    public static List<Input> inputs(Running running) {
        if (running.plan() != null && running.plan().join().isPresent()) {
            var join = running.plan().join().get();
            return List.of(
                    new Input(running, join.left().source().name(), "L"),
                    new Input(running, join.right().source().name(), "R"));
        }
        return List.of(new Input(running, running.definition().source(), null));
    }

    /** The registry of {@code system}. */
    public static PipelineRegistry get(ActorSystem<?> system) {
        return ID.INSTANCE.apply(system);
    }

    private static final class ID extends ExtensionId<PipelineRegistry> {
        static final ID INSTANCE = new ID();

        @Override
        public PipelineRegistry createExtension(ActorSystem<?> system) {
            return new PipelineRegistry(system);
        }
    }

    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;
    private volatile boolean loaded;
    private volatile Map<String, Running> byName = Map.of();
    private volatile Map<String, List<Input>> bySource = Map.of();
    private volatile io.virta.runtime.plan.Catalog catalog = io.virta.runtime.plan.Catalog.empty();
    private volatile List<StreamCatalog.ConnectorCreated> connectors = List.of();
    // Told, on the actor system's executor, whenever this copy of the catalog changed.
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CatalogState installed;

    private PipelineRegistry(ActorSystem<?> system) {
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        this.executor = system.executionContext();
        Duration every =
                system.settings().config().getDuration("virta.actors.pipelines.refresh-interval");
        system.scheduler()
                .scheduleAtFixedRate(every, every, () -> refresh(), system.executionContext());
    }

    /** The SQL catalog as of the last refresh: every stream and table SQL declared or made. */
    public io.virta.runtime.plan.Catalog catalog() {
        return catalog;
    }

    /** The connectors of the catalog as of the last refresh, in creation order. */
    public List<StreamCatalog.ConnectorCreated> connectors() {
        return connectors;
    }

    /** True once this copy was read from the catalog at least once. */
    public boolean loaded() {
        return loaded;
    }

    /** Every pipeline of the catalog, as of the last refresh. */
    public List<Running> all() {
        return List.copyOf(byName.values());
    }

    /** The inputs of running pipelines that read {@code stream}. */
    public List<Input> reading(String stream) {
        return bySource.getOrDefault(stream, List.of());
    }

    /** The running pipeline {@code name}, as of the last refresh. */
    public Optional<Running> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The SQL description of stream {@code name} (columns, out-of-orderness, idle timeout), if
     * declared.
     */
    public Optional<SourceDescription> source(String name) {
        return catalog.find(name);
    }

    /**
     * True when a running pipeline reading {@code stream} holds windows, so the stream needs its
     * clock.
     */
    public boolean needsClock(String stream) {
        return reading(stream).stream()
                .map(Input::running)
                .anyMatch(
                        r -> r.runnable() && windowed(r.plan()) && !PipelineRows.grouped(r.plan()));
    }

    static boolean windowed(QueryPlan plan) {
        return PipelineRows.timed(plan);
    }

    /**
     * Runs {@code listener} (on the actor system's executor) each time this node's reading of the
     * catalog finds it changed: a stream, pipeline or connector created, dropped, paused or
     * resumed.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Reads the catalog again; completes when this copy reflects it (or when the catalog did not
     * answer).
     */
    public CompletionStage<Void> refresh() {
        return Futures.on(
                        sharding.entityRefFor(StreamCatalog.TYPE_KEY, StreamCatalog.ENTITY_ID)
                                .<CatalogState>ask(StreamCatalog.GetState::new, askTimeout),
                        executor)
                .handle(
                        (state, failure) -> {
                            if (failure != null) {
                                log.debug("Pipeline refresh failed: {}", failure.toString());
                                return null;
                            }
                            try {
                                install(state);
                            } catch (RuntimeException e) {
                                log.error("Could not compile the catalog's pipelines", e);
                            }
                            return null;
                        });
    }

    private void install(CatalogState state) {
        SqlDdl.Compiled compiled = SqlDdl.compile(state);
        Map<String, Running> names = new HashMap<>();
        Map<String, List<Input>> sources = new HashMap<>();
        for (PipelineCreated p : state.pipelines().values()) {
            QueryPlan plan = compiled.plans().get(p.name());
            Running running = new Running(p, plan, unsupported(plan));
            names.put(p.name(), running);
            for (Input input : inputs(running)) {
                sources.computeIfAbsent(input.stream(), s -> new ArrayList<>()).add(input);
            }
        }
        byName = Map.copyOf(names);
        bySource = Map.copyOf(sources);
        catalog = compiled.catalog();
        connectors = List.copyOf(state.connectors().values());
        loaded = true;
        boolean changed = !state.equals(installed);
        installed = state;
        if (changed) {
            listeners.forEach(executor::execute);
        }
        // Keeps the clock of every stream read by a windowed pipeline running, also after a
        // restart, so that
        // idle timeouts close windows even when no event arrives.
        for (String stream : sources.keySet()) {
            if (needsClock(stream)) {
                sharding.entityRefFor(StreamClock.TYPE_KEY, stream).tell(new StreamClock.Tick());
            }
        }
        for (Running running : names.values()) {
            if (running.runnable()
                    && windowed(running.plan())
                    && PipelineRows.grouped(running.plan())) {
                String clock = StreamClock.stageClockId(running.definition().name());
                sharding.entityRefFor(StreamClock.TYPE_KEY, clock).tell(new StreamClock.Tick());
            }
        }
    }

    /** Why this node cannot run {@code plan} yet, or null when it can. */
    static String unsupported(QueryPlan plan) {
        if (plan == null) {
            return "its SQL no longer plans against the catalog";
        }
        return null;
    }
}
