package io.virta.connectors;

import io.virta.actors.api.ConnectorInfo;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.connectors.internal.ClusterStatus;
import io.virta.connectors.internal.ConnectorRunner;
import io.virta.connectors.internal.Runners;
import io.virta.connectors.internal.SinkEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the connectors of the catalog on this node: every few seconds it compares what runs with
 * what the catalog declares (created, dropped, paused, resumed) and starts or stops runners. Kafka
 * sources run on every node in one consumer group; a sink runs once in the cluster, unless it keeps
 * its stream's history in its topic: then every node has its producer, for the pipelines there.
 *
 * <pre>{@code
 * ConnectorService connectors = ConnectorService.start(system, store);
 * connectors.status("orders_in").thenAccept(System.out::println);
 * }</pre>
 */
public final class ConnectorService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectorService.class);

    private final ActorSystem<?> system;
    private final EventStore store;
    private final Runners runners;
    // The connectors that run on every node (sources, and sinks with history = 'topic'), by name.
    private final Map<String, ConnectorRunner> sources = new ConcurrentHashMap<>();
    private final Cancellable reconciling;
    private final Duration askTimeout;

    private ConnectorService(ActorSystem<?> system, EventStore store) {
        this.system = system;
        this.store = store;
        this.runners = new Runners(system, store);
        SinkEntity.init(system, store);
        this.askTimeout = system.settings().config().getDuration("virta.actors.ask-timeout");
        system.systemActorOf(
                ClusterStatus.behavior(this::localStatus),
                "virta-connector-status",
                org.apache.pekko.actor.typed.Props.empty());
        Duration every =
                system.settings().config().getDuration("virta.connectors.reconcile-interval");
        this.reconciling =
                system.scheduler()
                        .scheduleWithFixedDelay(
                                every, every, this::reconcile, system.executionContext());
        // A connector declared (or paused, resumed, dropped) through this node starts at once;
        // the periodic pass catches what other nodes changed.
        store.connectors().onChange(this::reconcile);
    }

    /** Starts running the catalog's connectors on this node. */
    public static ConnectorService start(ActorSystem<?> system, EventStore store) {
        return new ConnectorService(system, store);
    }

    /** Brings the runners of this node in line with the catalog. */
    private synchronized void reconcile() {
        List<ConnectorInfo> declared = store.connectors().current();
        for (ConnectorInfo c : declared) {
            ConnectorSpec spec = c.spec();
            if (!Runners.runsOnEveryNode(spec)) {
                if (runners.unsupported(spec).isEmpty()) {
                    ClusterSharding.get(system)
                            .entityRefFor(SinkEntity.TYPE_KEY, spec.name())
                            .tell(new SinkEntity.Check());
                }
                continue;
            }
            ConnectorRunner running = sources.get(spec.name());
            boolean wanted = !c.paused();
            if (running != null && (!wanted || !running.spec().equals(spec))) {
                sources.remove(spec.name()).stop();
                running = null;
            }
            if (running != null) {
                running.refresh();
            }
            if (running == null && wanted) {
                runners.local(spec)
                        .ifPresent(
                                runner -> {
                                    sources.put(spec.name(), runner);
                                    log.info(
                                            "{} connector {} runs on this node",
                                            spec.source() ? "Source" : "Sink",
                                            spec.name());
                                });
            }
        }
        for (String name : List.copyOf(sources.keySet())) {
            if (declared.stream().noneMatch(c -> c.spec().name().equals(name))) {
                sources.remove(name).stop();
            }
        }
    }

    /**
     * The status of connector {@code name} over the cluster (a source: every node running it,
     * merged; a sink: where it runs); empty if unknown.
     */
    public CompletionStage<Optional<ConnectorStatus>> status(String name) {
        Optional<ConnectorInfo> declared =
                store.connectors().current().stream()
                        .filter(c -> c.spec().name().equals(name))
                        .findFirst();
        if (declared.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ConnectorInfo info = declared.get();
        if (!Runners.runsOnEveryNode(info.spec()) && runners.unsupported(info.spec()).isEmpty()) {
            return ClusterSharding.get(system)
                    .entityRefFor(SinkEntity.TYPE_KEY, name)
                    .<ConnectorStatus>ask(
                            SinkEntity.GetStatus::new,
                            system.settings().config().getDuration("virta.actors.ask-timeout"))
                    .thenApply(Optional::of);
        }
        if (info.paused() || runners.unsupported(info.spec()).isPresent()) {
            String why = info.paused() ? "paused" : runners.unsupported(info.spec()).orElseThrow();
            return CompletableFuture.completedFuture(
                    Optional.of(new ConnectorStatus(name, why, "", List.of(), "")));
        }
        return ClusterStatus.gather(system, name, askTimeout)
                .thenApply(
                        status ->
                                status.nodes().isEmpty() && status.error().isEmpty()
                                        ? new ConnectorStatus(name, "starting", "", List.of(), "")
                                        : status)
                .thenApply(Optional::of);
    }

    /** The status of source {@code name}'s runner on this node, if it runs here. */
    private Optional<CompletionStage<ConnectorStatus>> localStatus(String name) {
        ConnectorRunner runner = sources.get(name);
        return runner == null ? Optional.empty() : Optional.of(runner.status());
    }

    /** Stops the connectors of this node, committing what they stored. */
    @Override
    public synchronized void close() {
        reconciling.cancel();
        CompletableFuture.allOf(
                        sources.values().stream()
                                .map(r -> r.stop().toCompletableFuture())
                                .toArray(CompletableFuture[]::new))
                .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(failure -> null)
                .join();
        sources.clear();
    }
}
