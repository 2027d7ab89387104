package io.virta.runtime.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One record flowing through a pipeline: a key, an event time and a JSON object payload. Results of
 * windowed aggregations also carry their {@link Window}; a {@code tombstone} says the row for this
 * key and window no longer exists (a session merged into a larger one, a HAVING that stopped
 * holding).
 *
 * <p>The payload is owned by the row: nobody mutates it after the row is built.
 *
 * @param key the key's text; null when the stream has no key
 * @param eventTime event time, epoch milliseconds
 * @param value the payload; for a tombstone, the last value or an empty object
 * @param window the window of an aggregate result, else null
 * @param tombstone whether this row deletes the (key, window) entry
 */
public record Row(String key, long eventTime, ObjectNode value, Window window, boolean tombstone) {

    /** Checks the payload is present. */
    public Row {
        Objects.requireNonNull(value, "value");
    }

    /**
     * @param key the key text, or null
     * @param eventTime event time, epoch milliseconds
     * @param value the JSON object payload
     * @return a plain (non-windowed, non-tombstone) row
     */
    public static Row of(String key, long eventTime, ObjectNode value) {
        return new Row(key, eventTime, value, null, false);
    }

    /**
     * @param newKey the new key
     * @return this row under another key
     */
    public Row withKey(String newKey) {
        return new Row(newKey, eventTime, value, window, tombstone);
    }

    /**
     * @param newValue the new payload
     * @return this row with another payload
     */
    public Row withValue(ObjectNode newValue) {
        return new Row(key, eventTime, newValue, window, tombstone);
    }
}
