package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.runtime.stream.StreamDefinition;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INTERNAL API: makes the runner of a connector spec. */
public final class Runners {
    private static final Logger log = LoggerFactory.getLogger(Runners.class);

    private final ActorSystem<?> system;
    private final EventStore store;
    private final KafkaSettings kafka;

    public Runners(ActorSystem<?> system, EventStore store) {
        this.system = system;
        this.store = store;
        this.kafka = KafkaSettings.fromConfig(system.settings().config());
    }

    /** Why {@code spec} cannot run here, if it cannot. */
    public Optional<String> unsupported(ConnectorSpec spec) {
        return Optional.empty();
    }

    /**
     * True when {@code spec} runs on every node ({@link #local}): a source, read by one consumer
     * group over the nodes, or a sink that keeps its history in its topic, whose producer every
     * node's pipelines write through. Other sinks run once in the cluster ({@link SinkEntity}).
     */
    public static boolean runsOnEveryNode(ConnectorSpec spec) {
        return spec.source() || spec.topicHistory();
    }

    /**
     * A started runner on this node of {@code spec}, which {@link #runsOnEveryNode}; empty when it
     * cannot run (logged).
     */
    public Optional<ConnectorRunner> local(ConnectorSpec spec) {
        Optional<String> why = unsupported(spec);
        if (why.isPresent()) {
            return Optional.empty();
        }
        if (!spec.source()) {
            try {
                return Optional.of(new TopicHistorySink(spec, system));
            } catch (Exception e) {
                log.warn("Sink connector {} cannot start yet: {}", spec.name(), e.toString());
                return Optional.empty();
            }
        }
        try {
            StreamDefinition stream =
                    store.describe(spec.stream())
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "stream '" + spec.stream() + "' is gone"));
            boolean pulsar = spec.type().equals("pulsar");
            if (spec.topicHistory()) {
                return Optional.of(
                        new TopicHistorySource(
                                spec,
                                store,
                                pulsar
                                        ? TopicHistorySource.pulsar(
                                                spec, system, store, stream, kafka)
                                        : TopicHistorySource.kafka(
                                                spec, system, store, stream, kafka)));
            }
            return Optional.of(
                    pulsar
                            ? new PulsarSource(spec, system, store, stream, kafka, null)
                            : new KafkaSource(spec, system, store, stream, kafka));
        } catch (Exception e) {
            log.warn("Source connector {} cannot start yet: {}", spec.name(), e.toString());
            return Optional.empty();
        }
    }
}
