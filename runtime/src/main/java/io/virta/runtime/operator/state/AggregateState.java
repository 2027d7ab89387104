package io.virta.runtime.operator.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The state of one key of an aggregation: the key's GROUP BY values, its open windows ordered by
 * window, and how many of its records were late. An immutable value; Jackson serializes it as is.
 * Read it back with {@code DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS} and {@code
 * USE_LONG_FOR_INTS} so numbers keep their SQL representation.
 *
 * @param keyValues the GROUP BY values of this key, in GROUP BY order (empty before the first
 *     record)
 * @param windows open windows, sorted by start then end
 * @param lateRecords how many records of this key went to the late side stream
 */
public record AggregateState(
        List<JsonNode> keyValues, List<WindowState> windows, long lateRecords) {

    /** The state of a key never seen. */
    public static final AggregateState EMPTY = new AggregateState(List.of(), List.of(), 0);

    /** Copies the list. */
    public AggregateState {
        keyValues = List.copyOf(keyValues);
        windows = List.copyOf(windows);
    }
}
