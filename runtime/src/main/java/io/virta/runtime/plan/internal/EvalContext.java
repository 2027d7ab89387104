package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.cep.MatchContext;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Window;

/**
 * INTERNAL API: what an expression reads: the row's payload, key and event time before aggregation;
 * the GROUP BY values and aggregate results ({@code slots}) and the window after. Processing time
 * is here only for {@code NOW()} in {@code INSERT ... VALUES}.
 */
public final class EvalContext {

    final ObjectNode row;
    final String key;
    final long eventTime;
    final JsonNode[] slots;
    final Window window;
    final long processingTime;
    final MatchContext match;

    private EvalContext(
            ObjectNode row,
            String key,
            long eventTime,
            JsonNode[] slots,
            Window window,
            long processingTime,
            MatchContext match) {
        this.row = row;
        this.key = key;
        this.eventTime = eventTime;
        this.slots = slots;
        this.window = window;
        this.processingTime = processingTime;
        this.match = match;
    }

    private EvalContext(
            ObjectNode row,
            String key,
            long eventTime,
            JsonNode[] slots,
            Window window,
            long processingTime) {
        this(row, key, eventTime, slots, window, processingTime, null);
    }

    /**
     * @param row the current row (DEFINE) or the match's last row (MEASURES)
     * @param match the rows of the match so far
     * @return a context for row pattern expressions
     */
    public static EvalContext ofMatch(Row row, MatchContext match) {
        return new EvalContext(row.value(), row.key(), row.eventTime(), null, null, 0, match);
    }

    /**
     * @param row the payload
     * @param key the key text, or null
     * @param eventTime the event time
     * @return a context over one input row
     */
    public static EvalContext ofRow(ObjectNode row, String key, long eventTime) {
        return new EvalContext(row, key, eventTime, null, null, 0);
    }

    /**
     * @param slots GROUP BY values followed by aggregate results
     * @param window the window, or GLOBAL
     * @return a context over one aggregated group
     */
    public static EvalContext ofGroup(JsonNode[] slots, Window window) {
        return new EvalContext(null, null, 0, slots, window, 0);
    }

    /**
     * @param processingTime the processing time NOW() returns
     * @return a context with no row, for literal expressions
     */
    public static EvalContext ofConstants(long processingTime) {
        return new EvalContext(null, null, 0, null, null, processingTime);
    }
}
