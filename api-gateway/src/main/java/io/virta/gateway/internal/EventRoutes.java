package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.virta.actors.api.AppendResult;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.ReplayQuery;
import io.virta.actors.api.StoredEvent;
import io.virta.gateway.internal.EventBodyParser.PositionedEvent;
import io.virta.runtime.stream.EventExtractor;
import io.virta.runtime.stream.InvalidEventException;
import io.virta.runtime.stream.KeyedEvent;
import io.virta.runtime.stream.StreamDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code POST /v1/streams/{stream}/events} and {@code GET
 * /v1/streams/{stream}/keys/{key}/events}.
 *
 * <p>Posting validates every event before storing any: one bad event rejects the whole request.
 * Events are then appended per key, keys in parallel, and the answer goes out once all are durable.
 */
final class EventRoutes {
    private final EventStore store;
    private final int appendParallelism;

    EventRoutes(EventStore store, int appendParallelism) {
        this.store = store;
        this.appendParallelism = appendParallelism;
    }

    CompletionStage<HttpResponse> post(String stream, byte[] body, boolean ndjson) {
        return store.describe(stream)
                .thenCompose(
                        found -> {
                            StreamDefinition definition =
                                    StreamRoutes.storedInVirta(store, stream, found);
                            long arrival = System.currentTimeMillis();
                            List<KeyedEvent> events = extract(definition, body, ndjson, arrival);
                            return IngestBatch.append(
                                            store, stream, events, arrival, appendParallelism)
                                    .thenApply(
                                            results ->
                                                    Json.bytes(
                                                            StatusCodes.OK,
                                                            accepted(stream, results)));
                        });
    }

    private static List<KeyedEvent> extract(
            StreamDefinition definition, byte[] body, boolean ndjson, long arrival) {
        List<PositionedEvent> parsed = EventBodyParser.parse(body, ndjson);
        EventExtractor extractor = new EventExtractor(definition);
        List<KeyedEvent> events = new ArrayList<>(parsed.size());
        for (PositionedEvent event : parsed) {
            try {
                events.add(
                        extractor.extract(
                                event.json(), arrival, () -> UUID.randomUUID().toString()));
            } catch (InvalidEventException e) {
                throw event.locate(
                        ApiError.badRequest(
                                        "invalid_event",
                                        "event " + event.index() + ": " + e.getMessage())
                                .at("field", e.field()));
            }
        }
        return events;
    }

    CompletionStage<HttpResponse> replay(String stream, String key, Map<String, String> params) {
        ReplayQuery query = ReplayParams.parse(params);
        return store.describe(stream)
                .thenCompose(
                        found -> {
                            StreamRoutes.storedInVirta(store, stream, found);
                            return store.replay(stream, key, query);
                        })
                .thenApply(events -> Json.bytes(StatusCodes.OK, replayed(stream, key, events)));
    }

    private static byte[] accepted(String stream, List<AppendResult> results) {
        long duplicates = results.stream().filter(AppendResult::duplicate).count();
        return write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("stream", stream);
                    json.writeNumberField("count", results.size());
                    json.writeNumberField("stored", results.size() - duplicates);
                    json.writeNumberField("duplicates", duplicates);
                    json.writeArrayFieldStart("events");
                    for (AppendResult r : results) {
                        writeResult(json, r);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
    }

    static void writeResult(JsonGenerator json, AppendResult r) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", r.id());
        json.writeStringField("key", r.key());
        json.writeNumberField("seq", r.seq());
        json.writeBooleanField("duplicate", r.duplicate());
        json.writeEndObject();
    }

    private static byte[] replayed(String stream, String key, List<StoredEvent> events) {
        return write(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("stream", stream);
                    json.writeStringField("key", key);
                    json.writeArrayFieldStart("events");
                    for (StoredEvent e : events) {
                        json.writeStartObject();
                        json.writeNumberField("seq", e.seq());
                        json.writeStringField("id", e.id());
                        json.writeStringField(
                                "eventTime", Instant.ofEpochMilli(e.eventTimeMillis()).toString());
                        json.writeStringField(
                                "arrivalTime",
                                Instant.ofEpochMilli(e.arrivalTimeMillis()).toString());
                        json.writeFieldName("payload");
                        json.writeRawValue(e.payload());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
    }

    /** Writes JSON with a streaming generator; the body is built in memory. */
    interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }

    static byte[] write(JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
