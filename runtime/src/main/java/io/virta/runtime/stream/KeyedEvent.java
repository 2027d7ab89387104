package io.virta.runtime.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An event after extraction: its key, id, event time and the untouched JSON payload.
 *
 * @param key the key's text (a number key becomes its decimal text)
 * @param id the client-given id, or an assigned one when {@code idAssigned}
 * @param idAssigned true when the client gave no id and {@code id} was assigned on arrival
 * @param eventTimeMillis event time in epoch milliseconds (from the timestamp field, else arrival
 *     time)
 * @param payload the event as posted; owned by this value, do not mutate
 */
public record KeyedEvent(
        String key, String id, boolean idAssigned, long eventTimeMillis, ObjectNode payload) {
    public KeyedEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
    }
}
