package io.virta.actors.api;

import io.virta.actors.internal.Futures;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.StreamCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The connectors of the catalog (declared with {@code CREATE SOURCE|SINK CONNECTOR}): durable, the
 * same on every node. Obtain it from {@link EventStore#connectors()}. What runs them lives in the
 * connectors module, which reads {@link #current()}.
 */
public final class Connectors {
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Executor executor;
    private final PipelineRegistry registry;
    private final Pipelines pipelines;

    Connectors(
            ClusterSharding sharding,
            Duration askTimeout,
            Executor executor,
            PipelineRegistry registry,
            Pipelines pipelines) {
        this.sharding = sharding;
        this.askTimeout = askTimeout;
        this.executor = executor;
        this.registry = registry;
        this.pipelines = pipelines;
    }

    /** Every connector, as of the catalog now. */
    public CompletionStage<List<ConnectorInfo>> list() {
        return registry.refresh().thenApply(v -> current());
    }

    /**
     * Every connector as of this node's last reading of the catalog (at most {@code
     * virta.actors.pipelines.refresh-interval} old); no round trip.
     */
    public List<ConnectorInfo> current() {
        return registry.connectors().stream().map(Connectors::info).toList();
    }

    /**
     * Runs {@code listener} each time this node learns that the catalog changed (a connector
     * created, dropped, paused or resumed, or a pipeline a source feeds), so that it can act at
     * once rather than on its next look at {@link #current()}. Runs on the actor system's
     * dispatcher.
     */
    public void onChange(Runnable listener) {
        registry.onChange(listener);
    }

    /**
     * The connector that keeps {@code stream}'s history in its topic ({@code history = 'topic'}): a
     * source fed from the topic, or a sink the stream's pipelines produce to; as of this node's
     * last reading of the catalog. Empty when the stream's events are stored in Virta. Such a
     * stream takes no events through Virta, and appends, replays and subscriptions through Virta
     * would see nothing of it.
     */
    public Optional<ConnectorSpec> topicHistory(String stream) {
        return topicHistory(registry, stream);
    }

    static Optional<ConnectorSpec> topicHistory(PipelineRegistry registry, String stream) {
        return registry.connectors().stream()
                .map(StreamCatalog.ConnectorCreated::spec)
                .filter(spec -> spec.topicHistory() && spec.stream().equalsIgnoreCase(stream))
                .findFirst();
    }

    /** Why {@code stream}, whose history {@code connector} keeps in its topic, takes no events. */
    public static String fedFromTopic(String stream, ConnectorSpec connector) {
        if (!connector.source()) {
            return "stream '"
                    + stream
                    + "' keeps its history in topic '"
                    + connector.topic()
                    + "' (sink connector '"
                    + connector.name()
                    + "', history = 'topic'): the pipeline writing it produces there; read the"
                    + " topic, or declare the sink with 'history' = 'cassandra' to store the stream"
                    + " in Virta as well";
        }
        return "stream '"
                + stream
                + "' keeps its history in topic '"
                + connector.topic()
                + "' (source connector '"
                + connector.name()
                + "', history = 'topic'): write to the topic, or declare the connector with"
                + " 'history' = 'cassandra' to store the stream in Virta";
    }

    /** Connector {@code name}, as of the catalog now. */
    public CompletionStage<Optional<ConnectorInfo>> get(String name) {
        return list().thenApply(
                        all -> all.stream().filter(c -> c.spec().name().equals(name)).findFirst());
    }

    /**
     * Pauses ({@code paused}) or resumes connector {@code name}; empty when there is none. The
     * change is durable: a restart keeps it.
     */
    public CompletionStage<Optional<ConnectorInfo>> setPaused(String name, boolean paused) {
        return Futures.on(
                        sharding.entityRefFor(StreamCatalog.TYPE_KEY, StreamCatalog.ENTITY_ID)
                                .<StreamCatalog.ConnectorFound>ask(
                                        (ActorRef<StreamCatalog.ConnectorFound> replyTo) ->
                                                new StreamCatalog.PauseConnector(
                                                        name, paused, replyTo),
                                        askTimeout),
                        executor)
                .thenCompose(
                        found ->
                                registry.refresh()
                                        .thenApply(
                                                v ->
                                                        Optional.ofNullable(found.connector())
                                                                .map(Connectors::info)));
    }

    /** Drops connector {@code name}; false when there was none. */
    public CompletionStage<Boolean> drop(String name) {
        return pipelines
                .submit(List.of("DROP CONNECTOR \"" + name + "\""), "latest")
                .thenApply(results -> results.get(0).status().equals("DROPPED"));
    }

    private static ConnectorInfo info(StreamCatalog.ConnectorCreated c) {
        return new ConnectorInfo(
                c.spec(), c.sql(), Instant.ofEpochMilli(c.createdAtMillis()), c.paused());
    }
}
