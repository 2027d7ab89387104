package io.virta.runtime.operator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.vavr.collection.HashSet;
import io.vavr.collection.Vector;
import io.virta.runtime.types.SqlValues;
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
     * COUNT(DISTINCT x): the distinct non-null values seen, in first-seen order. Persistent
     * collections, so adding a value shares the old one's structure instead of copying it: {@code
     * add} costs O(log n), not O(n). Serialized as {@code {"values": [...]}}; the key index is
     * rebuilt when read back.
     *
     * @param seen distinct values in first-seen order
     * @param keys {@link #keyOf} of every value of {@code seen}; not part of equality
     */
    record Distinct(@JsonIgnore Vector<JsonNode> seen, @JsonIgnore HashSet<Object> keys)
            implements Accumulator {

        /** An empty set. */
        public static final Distinct EMPTY = new Distinct(Vector.empty(), HashSet.empty());

        /**
         * @param values values, SQL-equal duplicates dropped
         */
        public Distinct(List<JsonNode> values) {
            this(dedupe(values), keysOf(values));
        }

        /**
         * @param values the distinct values, as serialized
         * @return the accumulator, duplicates dropped
         */
        @JsonCreator
        public static Distinct of(@JsonProperty("values") List<JsonNode> values) {
            return new Distinct(values);
        }

        /**
         * @param v a non-null value
         * @return this set with {@code v} added, or this one if it holds an SQL-equal value
         */
        public Distinct with(JsonNode v) {
            Object k = keyOf(v);
            return keys.contains(k) ? this : new Distinct(seen.append(v), keys.add(k));
        }

        /**
         * @return the values in first-seen order, as an unmodifiable list view
         */
        @JsonProperty("values")
        public List<JsonNode> values() {
            return seen.asJava();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Distinct d && d.seen.equals(seen);
        }

        @Override
        public int hashCode() {
            return seen.hashCode();
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
     * COLLECT_LIST (arrival order, nulls kept) or COLLECT_SET (distinct, first-seen order), in a
     * persistent vector: appending shares structure with the previous accumulator, O(log n) instead
     * of a copy. Serialized as {@code {"values": [...]}}.
     *
     * @param items the collected values
     * @param keys for COLLECT_SET, {@link #keyOf} of every item (rebuilt when read back); not part
     *     of equality
     */
    record Collected(@JsonIgnore Vector<JsonNode> items, @JsonIgnore HashSet<Object> keys)
            implements Accumulator {

        /** Nothing collected. */
        public static final Collected EMPTY = new Collected(Vector.empty(), HashSet.empty());

        /**
         * @param values the collected values, in order
         */
        public Collected(List<JsonNode> values) {
            this(Vector.ofAll(values), keysOf(values));
        }

        /**
         * @param values the collected values, as serialized
         * @return the accumulator
         */
        @JsonCreator
        public static Collected of(@JsonProperty("values") List<JsonNode> values) {
            return new Collected(values);
        }

        /**
         * @param v a value (SQL NULL allowed)
         * @return the list with {@code v} appended
         */
        public Collected append(JsonNode v) {
            return new Collected(items.append(v), keys.add(keyOf(v)));
        }

        /**
         * @param v a value
         * @return whether an SQL-equal value was collected
         */
        public boolean contains(JsonNode v) {
            return keys.contains(keyOf(v));
        }

        /**
         * @param later values collected after these
         * @return both, these first
         */
        public Collected concat(Collected later) {
            return new Collected(items.appendAll(later.items), keys.addAll(later.keys));
        }

        /**
         * @return the values in order, as an unmodifiable list view
         */
        @JsonProperty("values")
        public List<JsonNode> values() {
            return items.asJava();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Collected c && c.items.equals(items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }
    }

    private static HashSet<Object> keysOf(List<JsonNode> values) {
        return HashSet.ofAll(values.stream().map(Accumulator::keyOf));
    }

    private static Vector<JsonNode> dedupe(List<JsonNode> values) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        return Vector.ofAll(values.stream().filter(v -> seen.add(keyOf(v))));
    }

    /**
     * A key whose {@code equals} is SQL equality ({@link SqlValues#equal}): numbers by value
     * whatever their JSON representation (a DOUBLE read back as a decimal stays equal), others as
     * JSON. Collections of values hash these keys.
     *
     * @param v a value, possibly SQL NULL
     * @return its key
     */
    static Object keyOf(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (v.isNumber()) {
            if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
                return v.doubleValue();
            }
            BigDecimal d = v.decimalValue().stripTrailingZeros();
            return d.signum() == 0 ? BigDecimal.ZERO : d;
        }
        return v;
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
