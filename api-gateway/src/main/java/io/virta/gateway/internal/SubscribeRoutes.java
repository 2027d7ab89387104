package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.PositionedEvent;
import io.virta.actors.api.StoredEvent;
import io.virta.actors.api.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.BackpressureTimeoutException;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * INTERNAL API: {@code GET /v1/streams/{stream}/subscribe[?key=<key>]} as Server-Sent Events, or as
 * a WebSocket when the request asks for the upgrade.
 *
 * <p>With {@code key}, each event's id is its sequence number within the key; without, the
 * subscription covers every key of the stream and each event's id is the subscriber's {@link
 * StreamPosition} after it. A client that reconnects with {@code Last-Event-ID} (or {@code
 * from=<id>}) gets exactly what it missed, no gap and no duplicate.
 *
 * <p>A subscription reads the journals at its own pace and reads ahead at most {@code
 * virta.gateway.subscriptions.buffer} events, so it never slows a pipeline or another client. A
 * client that takes no event for {@code slow-subscriber-timeout} while some wait is sent a last
 * event of type {@code error} saying so, and the subscription ends; it can resume from its last id.
 */
final class SubscribeRoutes {
    private final EventStore store;
    private final int buffer;
    private final Duration slowAfter;

    SubscribeRoutes(EventStore store, int buffer, Duration slowAfter) {
        this.store = store;
        this.buffer = buffer;
        this.slowAfter = slowAfter;
    }

    /** One event as a subscriber gets it: the id to resume after it, and the event as JSON. */
    record Outgoing(String type, String id, String json) {}

    /**
     * The events a subscription gets: of {@code ?key=} or of the whole stream, from after {@code
     * Last-Event-ID} (or {@code ?from=}), then live; ending with an error event for a slow client.
     *
     * @throws ApiError 400 with a bad parameter or position; the stage fails with 404 for an
     *     unknown stream
     */
    CompletionStage<Source<Outgoing, NotUsed>> events(
            String stream, Map<String, String> params, Optional<String> lastEventId) {
        for (String name : params.keySet()) {
            if (!name.equals("key") && !name.equals("from")) {
                throw ApiError.badRequest(
                                "invalid_query",
                                "unknown parameter '" + name + "': use key and from")
                        .at("parameter", name);
            }
        }
        String key = params.get("key");
        Source<Outgoing, NotUsed> events =
                key == null
                        ? wholeStream(stream, params, lastEventId)
                        : oneKey(stream, key, params, lastEventId);
        return store.describe(stream)
                .thenApply(
                        found -> {
                            StreamRoutes.storedInVirta(store, stream, found);
                            return bounded(events);
                        });
    }

    private Source<Outgoing, NotUsed> oneKey(
            String stream, String key, Map<String, String> params, Optional<String> lastEventId) {
        if (key.isEmpty()) {
            throw ApiError.badRequest("invalid_query", "'key' must not be empty")
                    .at("parameter", "key");
        }
        long from = lastEventId.map(id -> seq("Last-Event-ID", id) + 1).orElse(1L);
        if (params.containsKey("from")) {
            from = Math.max(from, seq("from", params.get("from")));
        }
        return store.subscribe(stream, key, from)
                .map(e -> new Outgoing("event", Long.toString(e.seq()), json(key, e)));
    }

    private Source<Outgoing, NotUsed> wholeStream(
            String stream, Map<String, String> params, Optional<String> lastEventId) {
        Optional<String> resume =
                lastEventId.isPresent() ? lastEventId : Optional.ofNullable(params.get("from"));
        String what = lastEventId.isPresent() ? "Last-Event-ID" : "from";
        StreamPosition from;
        try {
            from = resume.map(store::parsePosition).orElse(store.streamStart());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(
                            "invalid_query",
                            "'" + what + "' is not a position of this stream: " + e.getMessage())
                    .at("parameter", what);
        }
        return store.subscribeAll(stream, from)
                .map(
                        (PositionedEvent e) ->
                                new Outgoing(
                                        "event",
                                        e.position().toString(),
                                        json(e.key(), e.event())));
    }

    /**
     * Reads ahead at most {@code buffer} events; when the client takes none for {@code slowAfter},
     * a last error event says why the subscription ends.
     */
    private Source<Outgoing, NotUsed> bounded(Source<Outgoing, NotUsed> events) {
        String reason =
                "{\"error\":\"slow_subscriber\",\"detail\":\"the subscriber took no event for "
                        + slowAfter.toMillis()
                        + " ms while "
                        + buffer
                        + " waited; resume from the id of the last event received\"}";
        return events.buffer(buffer, OverflowStrategy.backpressure())
                .backpressureTimeout(slowAfter)
                .recover(
                        BackpressureTimeoutException.class,
                        () -> new Outgoing("error", null, reason));
    }

    /** The events as Server-Sent Events, with a heartbeat so idle connections stay open. */
    static Source<ServerSentEvent, NotUsed> asServerSentEvents(Source<Outgoing, NotUsed> events) {
        return events.map(
                        e ->
                                e.id() == null
                                        ? ServerSentEvent.create(e.json(), e.type())
                                        : ServerSentEvent.create(e.json(), e.type(), e.id()))
                .keepAlive(Duration.ofSeconds(15), () -> ServerSentEvent.heartbeat());
    }

    /**
     * The events as WebSocket text messages, one JSON object each (with its {@code seq} or {@code
     * position} to resume from). What the client sends is ignored; when it closes, the subscription
     * stops.
     */
    static Flow<Message, Message, NotUsed> asWebSocket(Source<Outgoing, NotUsed> events) {
        return Flow.fromSinkAndSourceCoupled(
                Sink.<Message>ignore(),
                events.map(e -> (Message) TextMessage.create(withPosition(e))));
    }

    /** A WebSocket has no event ids: a whole-stream event carries its position in its JSON. */
    private static String withPosition(Outgoing e) {
        if (e.id() == null || !e.id().contains("-")) {
            return e.json();
        }
        return "{\"position\":\"" + e.id() + "\"," + e.json().substring(1);
    }

    private static String json(String key, StoredEvent e) {
        return new String(
                EventRoutes.write(json -> writeEvent(json, key, e)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeEvent(JsonGenerator json, String key, StoredEvent e)
            throws java.io.IOException {
        json.writeStartObject();
        json.writeStringField("key", key);
        json.writeNumberField("seq", e.seq());
        json.writeStringField("id", e.id());
        json.writeStringField("eventTime", Instant.ofEpochMilli(e.eventTimeMillis()).toString());
        json.writeFieldName("payload");
        json.writeRawValue(e.payload());
        json.writeEndObject();
    }

    private static long seq(String what, String text) {
        try {
            long seq = Long.parseLong(text.trim());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(
                            "invalid_query",
                            "'" + what + "' must be a sequence number, was '" + text + "'")
                    .at("parameter", what);
        }
    }
}
