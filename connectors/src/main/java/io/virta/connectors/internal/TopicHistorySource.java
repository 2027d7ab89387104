package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.TopicFeeds;
import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import io.virta.runtime.stream.StreamDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: a Kafka source with {@code history = 'topic'}: its stream's records stay in the
 * topic and are not stored per key; each pipeline reading the stream gets its own consumer ({@link
 * TopicPipelineConsumer}), made when the pipeline appears and stopped when it goes, and the
 * connector's own consumer group dead-letters poison records once ({@link DeadLetterScan}). A
 * pipeline that re-keys or joins cannot be fed this way; the status names it.
 */
final class TopicHistorySource implements ConnectorRunner {
    private static final Logger log = LoggerFactory.getLogger(TopicHistorySource.class);

    private final ConnectorSpec spec;
    private final ActorSystem<?> system;
    private final EventStore store;
    private final StreamDefinition stream;
    private final KafkaSettings settings;
    private final Map<String, TopicPipelineConsumer> consumers = new ConcurrentHashMap<>();
    private final AtomicReference<String> error = new AtomicReference<>("");
    private volatile String refused = "";
    // What the pipelines' consumers found poison, for the scan: the topic is parsed once here.
    private final PoisonLedger ledger;
    private final DeadLetterScan deadLetters;

    TopicHistorySource(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings) {
        this.spec = spec;
        this.system = system;
        this.store = store;
        this.stream = stream;
        this.settings = settings;
        this.ledger =
                new PoisonLedger(
                        settings.deadLetterFollowWithin(), settings.deadLetterFollowWait());
        this.deadLetters = new DeadLetterScan(spec, system, store, stream, settings, ledger, error);
        refresh();
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    /** Starts a consumer for each new pipeline on the stream, stops those of dropped ones. */
    @Override
    public synchronized void refresh() {
        List<TopicFeeds.Feed> feeds = store.topicFeeds().pipelinesReading(spec.stream());
        List<String> notFed = new ArrayList<>();
        for (TopicFeeds.Feed feed : feeds) {
            if (feed.unsupported().isPresent()) {
                notFed.add(feed.pipeline() + ": " + feed.unsupported().get());
                continue;
            }
            TopicPipelineConsumer running = consumers.get(feed.pipeline());
            if (running != null && running.failed()) {
                consumers.remove(feed.pipeline());
                running = null;
            }
            if (running == null) {
                consumers.put(
                        feed.pipeline(),
                        new TopicPipelineConsumer(
                                spec, feed, system, store, stream, settings, ledger, error));
                log.info(
                        "Source connector {} feeds pipeline {} from topic {}",
                        spec.name(),
                        feed.pipeline(),
                        spec.topic());
            }
        }
        refused = notFed.isEmpty() ? "" : "not fed from the topic: " + String.join("; ", notFed);
        for (String name : List.copyOf(consumers.keySet())) {
            if (feeds.stream().noneMatch(f -> f.pipeline().equals(name))) {
                consumers.remove(name).stop();
            }
        }
    }

    @Override
    public CompletionStage<ConnectorStatus> status() {
        List<CompletableFuture<List<PartitionStatus>>> each = new ArrayList<>();
        each.add(deadLetters.status().toCompletableFuture());
        consumers.values().forEach(c -> each.add(c.status().toCompletableFuture()));
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> {
                            List<PartitionStatus> partitions = new ArrayList<>();
                            each.forEach(f -> partitions.addAll(f.join()));
                            String problems =
                                    String.join(
                                            " ",
                                            List.of(error.get(), refused).stream()
                                                    .filter(s -> !s.isEmpty())
                                                    .toList());
                            return new ConnectorStatus(
                                    spec.name(),
                                    deadLetters.failed()
                                                    || consumers.values().stream()
                                                            .anyMatch(TopicPipelineConsumer::failed)
                                            ? "failed"
                                            : "running",
                                    problems,
                                    partitions,
                                    "");
                        });
    }

    @Override
    public synchronized CompletionStage<Void> stop() {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        stopped.add(deadLetters.stop().toCompletableFuture());
        consumers.values().forEach(c -> stopped.add(c.stop().toCompletableFuture()));
        return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new));
    }
}
