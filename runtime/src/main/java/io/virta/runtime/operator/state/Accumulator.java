package io.virta.runtime.operator.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * The running value of one aggregate function inside one window of one key. Immutable: every update
 * returns a new accumulator. Serializable with Jackson (the {@code @type} property names the
 * variant), so an actor can persist it in events and snapshots.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Accumulator.Count.class, name = "count"),
    @JsonSubTypes.Type(value = Accumulator.Distinct.class, name = "distinct"),
    @JsonSubTypes.Type(value = Accumulator.LongSum.class, name = "longSum"),
    @JsonSubTypes.Type(value = Accumulator.DoubleSum.class, name = "doubleSum"),
    @JsonSubTypes.Type(value = Accumulator.DecimalSum.class, name = "decimalSum"),
    @JsonSubTypes.Type(value = Accumulator.Average.class, name = "avg"),
    @JsonSubTypes.Type(value = Accumulator.Extreme.class, name = "extreme"),
    @JsonSubTypes.Type(value = Accumulator.Collected.class, name = "collected"),
    @JsonSubTypes.Type(value = Accumulator.Picked.class, name = "picked")
})
public sealed interface Accumulator {

    /**
     * COUNT(*) and COUNT(x).
     *
     * @param count rows (or non-null values) seen
     */
    record Count(long count) implements Accumulator {}

    /**
     * COUNT(DISTINCT x): the distinct non-null values seen, in first-seen order.
     *
     * @param values distinct values
     */
    record Distinct(List<JsonNode> values) implements Accumulator {
        /** Copies the list. */
        public Distinct {
            values = List.copyOf(values);
        }
    }

    /**
     * SUM over INT/BIGINT.
     *
     * @param sum the sum so far
     * @param seen whether any non-null value was added (else the result is NULL)
     */
    record LongSum(long sum, boolean seen) implements Accumulator {}

    /**
     * SUM over DOUBLE.
     *
     * @param sum the sum so far
     * @param seen whether any non-null value was added
     */
    record DoubleSum(double sum, boolean seen) implements Accumulator {}

    /**
     * SUM over DECIMAL.
     *
     * @param sum the sum so far, null when nothing was added
     */
    record DecimalSum(BigDecimal sum) implements Accumulator {}

    /**
     * AVG: sum and count of non-null values.
     *
     * @param sum the sum
     * @param count how many values
     */
    record Average(double sum, long count) implements Accumulator {}

    /**
     * MIN or MAX.
     *
     * @param value the extreme so far, or null when nothing was added
     */
    record Extreme(JsonNode value) implements Accumulator {}

    /**
     * COLLECT_LIST (arrival order, nulls kept) or COLLECT_SET (distinct, first-seen order).
     *
     * @param values the collected values
     */
    record Collected(List<JsonNode> values) implements Accumulator {
        /** Copies the list. */
        public Collected {
            values = List.copyOf(values);
        }
    }

    /**
     * EARLIEST or LATEST by event time; on equal times EARLIEST keeps the first arrival and LATEST
     * the last.
     *
     * @param eventTime the chosen value's event time
     * @param value the chosen value, or null when nothing was added
     */
    record Picked(long eventTime, JsonNode value) implements Accumulator {}
}
