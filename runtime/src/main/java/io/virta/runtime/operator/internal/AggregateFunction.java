package io.virta.runtime.operator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.state.Accumulator;
import io.virta.runtime.operator.state.Accumulator.Average;
import io.virta.runtime.operator.state.Accumulator.Collected;
import io.virta.runtime.operator.state.Accumulator.Count;
import io.virta.runtime.operator.state.Accumulator.DecimalSum;
import io.virta.runtime.operator.state.Accumulator.Distinct;
import io.virta.runtime.operator.state.Accumulator.DoubleSum;
import io.virta.runtime.operator.state.Accumulator.Extreme;
import io.virta.runtime.operator.state.Accumulator.LongSum;
import io.virta.runtime.operator.state.Accumulator.Picked;
import io.virta.runtime.types.SqlValues;
import java.math.BigDecimal;

/**
 * INTERNAL API: the logic of one aggregate function over its immutable {@link Accumulator}. {@code
 * add} and {@code merge} return new accumulators and never mutate their arguments.
 */
public interface AggregateFunction {

    /**
     * @return the accumulator of an empty group
     */
    Accumulator init();

    /**
     * @param acc the current accumulator
     * @param value the argument's value for this row (SQL NULL possible; ignored for COUNT(*))
     * @param eventTime the row's event time
     * @return the accumulator with the row folded in
     */
    Accumulator add(Accumulator acc, JsonNode value, long eventTime);

    /**
     * Combines the accumulators of two session windows being merged.
     *
     * @param earlier the accumulator of the earlier window
     * @param later the accumulator of the later window
     * @return the accumulator of the merged window
     */
    Accumulator merge(Accumulator earlier, Accumulator later);

    /**
     * @param acc an accumulator
     * @return the SQL result
     */
    JsonNode result(Accumulator acc);

    /** COUNT(*) when {@code star}, else COUNT(x) (non-null values). */
    record CountFn(boolean star) implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new Count(0);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            return star || !SqlValues.isNull(v) ? new Count(((Count) acc).count() + 1) : acc;
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            return new Count(((Count) a).count() + ((Count) b).count());
        }

        @Override
        public JsonNode result(Accumulator acc) {
            return SqlValues.of(((Count) acc).count());
        }
    }

    /** COUNT(DISTINCT x). */
    record CountDistinctFn() implements AggregateFunction {
        @Override
        public Accumulator init() {
            return Distinct.EMPTY;
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            return SqlValues.isNull(v) ? acc : ((Distinct) acc).with(v);
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            Distinct out = (Distinct) a;
            for (JsonNode v : ((Distinct) b).seen()) {
                out = out.with(v);
            }
            return out;
        }

        @Override
        public JsonNode result(Accumulator acc) {
            return SqlValues.of((long) ((Distinct) acc).seen().size());
        }
    }

    /** SUM over INT/BIGINT. */
    record LongSumFn() implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new LongSum(0, false);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            return SqlValues.isNull(v)
                    ? acc
                    : new LongSum(((LongSum) acc).sum() + v.longValue(), true);
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            LongSum x = (LongSum) a;
            LongSum y = (LongSum) b;
            return new LongSum(x.sum() + y.sum(), x.seen() || y.seen());
        }

        @Override
        public JsonNode result(Accumulator acc) {
            LongSum s = (LongSum) acc;
            return s.seen() ? SqlValues.of(s.sum()) : SqlValues.nullValue();
        }
    }

    /** SUM over DOUBLE. */
    record DoubleSumFn() implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new DoubleSum(0, false);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            return SqlValues.isNull(v)
                    ? acc
                    : new DoubleSum(((DoubleSum) acc).sum() + v.doubleValue(), true);
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            DoubleSum x = (DoubleSum) a;
            DoubleSum y = (DoubleSum) b;
            return new DoubleSum(x.sum() + y.sum(), x.seen() || y.seen());
        }

        @Override
        public JsonNode result(Accumulator acc) {
            DoubleSum s = (DoubleSum) acc;
            return s.seen() ? SqlValues.of(s.sum()) : SqlValues.nullValue();
        }
    }

    /** SUM over DECIMAL: exact. */
    record DecimalSumFn() implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new DecimalSum(null);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            if (SqlValues.isNull(v)) {
                return acc;
            }
            BigDecimal s = ((DecimalSum) acc).sum();
            return new DecimalSum(s == null ? v.decimalValue() : s.add(v.decimalValue()));
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            BigDecimal y = ((DecimalSum) b).sum();
            return y == null ? a : add(a, SqlValues.of(y), 0);
        }

        @Override
        public JsonNode result(Accumulator acc) {
            return SqlValues.of(((DecimalSum) acc).sum());
        }
    }

    /** AVG: a DOUBLE, NULL for an empty group. */
    record AvgFn() implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new Average(0, 0);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            if (SqlValues.isNull(v)) {
                return acc;
            }
            Average a = (Average) acc;
            return new Average(a.sum() + v.doubleValue(), a.count() + 1);
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            Average x = (Average) a;
            Average y = (Average) b;
            return new Average(x.sum() + y.sum(), x.count() + y.count());
        }

        @Override
        public JsonNode result(Accumulator acc) {
            Average a = (Average) acc;
            return a.count() == 0 ? SqlValues.nullValue() : SqlValues.of(a.sum() / a.count());
        }
    }

    /** MIN ({@code max == false}) or MAX. */
    record ExtremeFn(boolean max) implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new Extreme(null);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            if (SqlValues.isNull(v)) {
                return acc;
            }
            JsonNode cur = ((Extreme) acc).value();
            if (SqlValues.isNull(cur)) {
                return new Extreme(v);
            }
            int c = SqlValues.compare(v, cur);
            return (max ? c > 0 : c < 0) ? new Extreme(v) : acc;
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            JsonNode y = ((Extreme) b).value();
            return SqlValues.isNull(y) ? a : add(a, y, 0);
        }

        @Override
        public JsonNode result(Accumulator acc) {
            JsonNode v = ((Extreme) acc).value();
            return SqlValues.isNull(v) ? SqlValues.nullValue() : v;
        }
    }

    /** COLLECT_LIST ({@code distinct == false}) or COLLECT_SET. */
    record CollectFn(boolean distinct) implements AggregateFunction {
        @Override
        public Accumulator init() {
            return Collected.EMPTY;
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            Collected c = (Collected) acc;
            JsonNode value = v == null ? SqlValues.nullValue() : v;
            if (distinct && (SqlValues.isNull(value) || c.contains(value))) {
                return acc;
            }
            return c.append(value);
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            if (!distinct) {
                return ((Collected) a).concat((Collected) b);
            }
            Accumulator out = a;
            for (JsonNode v : ((Collected) b).items()) {
                out = add(out, v, 0);
            }
            return out;
        }

        @Override
        public JsonNode result(Accumulator acc) {
            var arr = SqlValues.NODES.arrayNode();
            ((Collected) acc).items().forEach(arr::add);
            return arr;
        }
    }

    /** EARLIEST ({@code latest == false}) or LATEST by event time. */
    record PickFn(boolean latest) implements AggregateFunction {
        @Override
        public Accumulator init() {
            return new Picked(0, null);
        }

        @Override
        public Accumulator add(Accumulator acc, JsonNode v, long t) {
            if (SqlValues.isNull(v)) {
                return acc;
            }
            Picked p = (Picked) acc;
            if (SqlValues.isNull(p.value()) || (latest ? t >= p.eventTime() : t < p.eventTime())) {
                return new Picked(t, v);
            }
            return acc;
        }

        @Override
        public Accumulator merge(Accumulator a, Accumulator b) {
            Picked y = (Picked) b;
            return SqlValues.isNull(y.value()) ? a : add(a, y.value(), y.eventTime());
        }

        @Override
        public JsonNode result(Accumulator acc) {
            JsonNode v = ((Picked) acc).value();
            return SqlValues.isNull(v) ? SqlValues.nullValue() : v;
        }
    }
}
