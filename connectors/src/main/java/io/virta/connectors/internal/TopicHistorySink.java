package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.OutputTopics;
import io.virta.actors.api.PositionedEvent;
import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API: a sink connector with {@code history = 'topic'}, on one node: the topic keeps its
 * stream's history, so instead of reading the stream back from Cassandra (as {@link SinkEntity}
 * does) it registers a producer for the stream with {@link OutputTopics}, and the pipelines writing
 * the stream on this node produce their outputs through it, once checkpointed, before they count
 * them as delivered. Every node runs one while the connector is declared and not paused; a paused
 * sink's pipelines hold their outputs until it resumes.
 */
final class TopicHistorySink implements ConnectorRunner {
    private final ConnectorSpec spec;
    private final OutputTopics topics;
    private final TopicWriter writer;
    private final OutputTopics.Writer registered;
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<String> error = new AtomicReference<>("");

    TopicHistorySink(ConnectorSpec spec, ActorSystem<?> system) {
        this.spec = spec;
        this.topics = OutputTopics.get(system);
        this.writer = SinkWriters.writer(spec);
        this.registered = this::write;
        topics.register(spec.stream(), registered);
    }

    private CompletionStage<Void> write(List<PositionedEvent> events) {
        return writer.write(events)
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                error.set(failure.toString());
                            } else {
                                written.addAndGet(events.size());
                                error.set("");
                            }
                        });
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    /** Events this node produced to the topic since it started, in one row for all partitions. */
    @Override
    public CompletionStage<ConnectorStatus> status() {
        return CompletableFuture.completedFuture(
                new ConnectorStatus(
                        spec.name(),
                        "running",
                        error.get(),
                        List.of(new PartitionStatus(-1, written.get(), -1, -1, -1, 0, "")),
                        ""));
    }

    @Override
    public CompletionStage<Void> stop() {
        topics.unregister(spec.stream(), registered);
        writer.close();
        return CompletableFuture.completedFuture(null);
    }
}
