package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * INTERNAL API: {@code GET /v1/streams/{stream}/subscribe?key=<key>} as Server-Sent Events, or as a
 * WebSocket when the request asks for the upgrade.
 *
 * <p>Each event's SSE id is its sequence number within the key, so a client that reconnects with
 * {@code Last-Event-ID} (or {@code from=<seq>}) gets exactly what it missed, no gap and no
 * duplicate. A subscription reads the key's journal at the client's pace: a slow client lags, it
 * does not make anyone else wait. Subscribing to a whole stream (no {@code key}) needs
 * per-partition output logs, which do not exist yet: refused with 400.
 */
final class SubscribeRoutes {
    private final EventStore store;

    SubscribeRoutes(EventStore store) {
        this.store = store;
    }

    /**
     * The events a subscription gets: those of {@code ?key=} from {@code Last-Event-ID} + 1 (or
     * {@code ?from=}), then live.
     *
     * @throws ApiError 400 without a key or with a bad position; the stage fails with 404 for an
     *     unknown stream
     */
    CompletionStage<Source<StoredEvent, NotUsed>> events(
            String stream, Map<String, String> params, Optional<String> lastEventId) {
        String key = params.get("key");
        if (key == null || key.isEmpty()) {
            throw ApiError.badRequest(
                            "invalid_query",
                            "subscribe to one key with ?key=<key>: subscriptions to a whole stream are not"
                                    + " supported yet")
                    .at("parameter", "key");
        }
        for (String name : params.keySet()) {
            if (!name.equals("key") && !name.equals("from")) {
                throw ApiError.badRequest(
                                "invalid_query",
                                "unknown parameter '" + name + "': use key and from")
                        .at("parameter", name);
            }
        }
        long from = lastEventId.map(id -> seq("Last-Event-ID", id) + 1).orElse(1L);
        if (params.containsKey("from")) {
            from = Math.max(from, seq("from", params.get("from")));
        }
        long start = from;
        return store.describe(stream)
                .thenApply(
                        found -> {
                            found.orElseThrow(() -> StreamRoutes.unknownStream(stream));
                            return store.subscribe(stream, key, start);
                        });
    }

    /** The events as Server-Sent Events, with a heartbeat so idle connections stay open. */
    static Source<ServerSentEvent, NotUsed> asServerSentEvents(
            Source<StoredEvent, NotUsed> events) {
        return events.map(SubscribeRoutes::event)
                .keepAlive(Duration.ofSeconds(15), () -> ServerSentEvent.heartbeat());
    }

    /**
     * The events as WebSocket text messages, one JSON object each (with its {@code seq} to resume
     * from). What the client sends is ignored; when it closes, the subscription stops.
     */
    static Flow<Message, Message, NotUsed> asWebSocket(Source<StoredEvent, NotUsed> events) {
        return Flow.fromSinkAndSourceCoupled(
                Sink.<Message>ignore(), events.map(e -> (Message) TextMessage.create(json(e))));
    }

    private static ServerSentEvent event(StoredEvent e) {
        return ServerSentEvent.create(json(e), "event", Long.toString(e.seq()));
    }

    private static String json(StoredEvent e) {
        return new String(
                EventRoutes.write(json -> writeEvent(json, e)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeEvent(JsonGenerator json, StoredEvent e) throws java.io.IOException {
        json.writeStartObject();
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
