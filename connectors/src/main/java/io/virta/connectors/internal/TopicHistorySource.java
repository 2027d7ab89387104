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
 * INTERNAL API: a source with {@code history = 'topic'}: its stream's records stay in the topic and
 * are not stored per key; each pipeline reading the stream gets its own consumer (Kafka: {@link
 * TopicPipelineConsumer}, Pulsar: {@link PulsarPipelineConsumer}), made when the pipeline appears
 * and stopped when it goes, and the connector's own consumer group or subscription dead-letters
 * poison records once (Kafka: {@link DeadLetterScan}, Pulsar: a {@link PulsarSource} that only
 * dead-letters). A pipeline that re-keys or joins cannot be fed this way; the status names it.
 */
final class TopicHistorySource implements ConnectorRunner {
    private static final Logger log = LoggerFactory.getLogger(TopicHistorySource.class);

    /** One running piece of the source: the dead-lettering, or one pipeline's consumer. */
    interface Part {
        /** True once it stopped by itself (failed); the source then makes it again. */
        boolean failed();

        /** Its rows of the connector's status. */
        CompletionStage<List<PartitionStatus>> status();

        /** Stops it after the work under way is committed. */
        CompletionStage<Void> stop();
    }

    /** How a broker makes the parts, each started. */
    interface Parts {
        /** The connector's dead-lettering, reporting failures to {@code error}. */
        Part deadLetters(AtomicReference<String> error) throws Exception;

        /** A consumer feeding {@code feed}'s pipeline, reporting failures to {@code error}. */
        Part pipeline(TopicFeeds.Feed feed, AtomicReference<String> error);
    }

    private final ConnectorSpec spec;
    private final EventStore store;
    private final Parts parts;
    private final Map<String, Part> consumers = new ConcurrentHashMap<>();
    private final AtomicReference<String> error = new AtomicReference<>("");
    private volatile String refused = "";
    private final Part deadLetters;

    TopicHistorySource(ConnectorSpec spec, EventStore store, Parts parts) throws Exception {
        this.spec = spec;
        this.store = store;
        this.parts = parts;
        this.deadLetters = parts.deadLetters(error);
        refresh();
    }

    /** The parts of a Kafka source: what the pipelines' consumers find poison, the scan takes. */
    static Parts kafka(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings) {
        PoisonLedger ledger =
                new PoisonLedger(
                        settings.deadLetterFollowWithin(), settings.deadLetterFollowWait());
        return new Parts() {
            @Override
            public Part deadLetters(AtomicReference<String> error) {
                return new DeadLetterScan(spec, system, store, stream, settings, ledger, error);
            }

            @Override
            public Part pipeline(TopicFeeds.Feed feed, AtomicReference<String> error) {
                return new TopicPipelineConsumer(
                        spec, feed, system, store, stream, settings, ledger, error);
            }
        };
    }

    /**
     * The parts of a Pulsar source: the connector's subscription only dead-letters, taking what the
     * pipelines' consumers found poison as Kafka's scan does. Positions are {@link
     * PulsarPositions}; how far behind a consumer may be to be waited for counts entries (a
     * producer's batch is one entry) of the same ledger.
     */
    static Parts pulsar(
            ConnectorSpec spec,
            ActorSystem<?> system,
            EventStore store,
            StreamDefinition stream,
            KafkaSettings settings) {
        PoisonLedger ledger =
                new PoisonLedger(
                        PulsarPositions.entries(settings.deadLetterFollowWithin()),
                        settings.deadLetterFollowWait());
        return new Parts() {
            @Override
            public Part deadLetters(AtomicReference<String> error) throws Exception {
                PulsarSource scan = new PulsarSource(spec, system, store, stream, settings, ledger);
                return new Part() {
                    @Override
                    public boolean failed() {
                        return scan.failed();
                    }

                    @Override
                    public CompletionStage<List<PartitionStatus>> status() {
                        return scan.status().thenApply(ConnectorStatus::partitions);
                    }

                    @Override
                    public CompletionStage<Void> stop() {
                        return scan.stop();
                    }
                };
            }

            @Override
            public Part pipeline(TopicFeeds.Feed feed, AtomicReference<String> error) {
                return new PulsarPipelineConsumer(
                        spec, feed, system, store, stream, settings, ledger, error);
            }
        };
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
            Part running = consumers.get(feed.pipeline());
            if (running != null && running.failed()) {
                consumers.remove(feed.pipeline());
                running = null;
            }
            if (running == null) {
                try {
                    consumers.put(feed.pipeline(), parts.pipeline(feed, error));
                } catch (RuntimeException e) {
                    // Tried again at the next reconciliation.
                    error.set(e.toString());
                    log.warn(
                            "Source connector {} cannot feed {} yet",
                            spec.name(),
                            feed.pipeline(),
                            e);
                    continue;
                }
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
                                                            .anyMatch(Part::failed)
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
