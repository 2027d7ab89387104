package io.virta.connectors.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.EventStore;
import io.virta.runtime.stream.EventExtractor;
import io.virta.runtime.stream.KeyedEvent;
import io.virta.runtime.stream.StreamDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * INTERNAL API: what every source does with a batch of records, whatever the broker: parse each
 * value as a JSON object, key and time it by the stream's definition, give it the id of its
 * coordinates in the topic, and append the batch grouped by key, each key's events in order,
 * retrying until every one is durable. Records that cannot be read are set apart with the reason,
 * for the dead letters.
 *
 * @param <R> the broker's record type
 */
final class RecordIngest<R> {
    /**
     * Reads a record's value as a tree. Jackson's default buffer pool is one per thread, found
     * through a thread-local on every parser made: per record, on dispatcher threads that carry
     * many thread-locals, that lookup cost as much as the parse. A shared lock-free pool gives the
     * same buffers back without it (every parse here closes its parser, so the pool stays small).
     */
    private static final ObjectReader JSON =
            new ObjectMapper(
                            JsonFactory.builder()
                                    .recyclerPool(JsonRecyclerPools.newLockFreePool())
                                    .build())
                    .readerFor(JsonNode.class);

    /**
     * A batch read: its events in record order with the records they came from (same positions),
     * and the records set apart with their reasons.
     */
    record Parsed<R>(
            List<KeyedEvent> events, List<R> records, List<R> poison, List<String> reasons) {

        /** The events by key, each key's in record order. */
        Map<String, List<KeyedEvent>> byKey() {
            Map<String, List<KeyedEvent>> byKey = new LinkedHashMap<>();
            for (KeyedEvent e : events) {
                byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
            }
            return byKey;
        }
    }

    private final ActorSystem<?> system;
    private final EventStore store;
    private final String stream;
    private final EventExtractor extractor;
    private final Function<R, byte[]> value;
    // Null when the events are only read, not stored: they need no id.
    private final Function<R, String> id;
    private final int keysInFlight;

    RecordIngest(
            ActorSystem<?> system,
            EventStore store,
            String stream,
            EventExtractor extractor,
            Function<R, byte[]> value,
            Function<R, String> id,
            int keysInFlight) {
        this.system = system;
        this.store = store;
        this.stream = stream;
        this.extractor = extractor;
        this.value = value;
        this.id = id;
        this.keysInFlight = keysInFlight;
    }

    /** The ingest of a Kafka source: record values as JSON, ids from (topic, partition, offset). */
    static RecordIngest<ConsumerRecord<byte[], byte[]>> kafka(
            ActorSystem<?> system,
            EventStore store,
            ConnectorSpec spec,
            StreamDefinition stream,
            KafkaSettings settings) {
        return new RecordIngest<>(
                system,
                store,
                spec.stream(),
                new EventExtractor(Definitions.overridden(stream, spec)),
                ConsumerRecord::value,
                KafkaSettings::eventId,
                settings.keysInFlight());
    }

    /** The ingest of a Pulsar source: message values as JSON, ids from the message ids. */
    static RecordIngest<org.apache.pulsar.client.api.Message<byte[]>> pulsar(
            ActorSystem<?> system,
            EventStore store,
            ConnectorSpec spec,
            StreamDefinition stream,
            KafkaSettings settings) {
        return new RecordIngest<>(
                system,
                store,
                spec.stream(),
                new EventExtractor(Definitions.overridden(stream, spec)),
                org.apache.pulsar.client.api.Message::getValue,
                PulsarSource::eventId,
                settings.keysInFlight());
    }

    /**
     * This ingest for a reader that stores no events (a stream whose history is its topic): its
     * events get no id (an empty one), which saves making one per record. Not for {@link #append}.
     */
    RecordIngest<R> parsingOnly() {
        return new RecordIngest<>(system, store, stream, extractor, value, null, keysInFlight);
    }

    /** Reads {@code records}, stamping them as arrived at {@code now}. */
    Parsed<R> parse(Iterable<R> records, long now) {
        List<KeyedEvent> events = new ArrayList<>();
        List<R> read = new ArrayList<>();
        List<R> poison = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (R record : records) {
            try {
                byte[] bytes = value.apply(record);
                JsonNode json = JSON.readTree(bytes == null ? new byte[0] : bytes);
                if (json == null || !json.isObject()) {
                    throw new IllegalArgumentException("the value is not a JSON object");
                }
                KeyedEvent parsed = extractor.extract(json, now, () -> "");
                events.add(
                        id == null
                                ? parsed
                                : new KeyedEvent(
                                        parsed.key(),
                                        id.apply(record),
                                        false,
                                        parsed.eventTimeMillis(),
                                        parsed.payload()));
                read.add(record);
            } catch (JsonProcessingException e) {
                poison.add(record);
                reasons.add("the value is not JSON: " + e.getOriginalMessage());
            } catch (IOException | IllegalArgumentException e) {
                poison.add(record);
                reasons.add(e.getMessage());
            }
        }
        return new Parsed<>(events, read, poison, reasons);
    }

    /**
     * Appends every key's events, retrying each key until stored; {@code error} holds the last
     * failure meanwhile.
     */
    CompletionStage<?> append(Parsed<R> parsed, long now, AtomicReference<String> error) {
        return Source.from(List.copyOf(parsed.byKey().entrySet()))
                .mapAsyncUnordered(
                        keysInFlight,
                        e ->
                                Retrying.until(
                                        system,
                                        error,
                                        () -> store.append(stream, e.getKey(), e.getValue(), now)))
                .runWith(Sink.ignore(), system);
    }
}
