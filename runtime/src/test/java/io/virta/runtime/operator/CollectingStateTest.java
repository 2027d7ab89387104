package io.virta.runtime.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.runtime.operator.internal.AggregateFunction;
import io.virta.runtime.operator.state.Accumulator;
import io.virta.runtime.types.SqlValues;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COLLECT_LIST, COLLECT_SET and COUNT(DISTINCT) on persistent collections. */
class CollectingStateTest {

    static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    @Test
    void addingLeavesThePreviousAccumulatorUnchanged() {
        var list = new AggregateFunction.CollectFn(false);
        Accumulator a = list.add(list.init(), SqlValues.of("x"), 0);
        Accumulator b = list.add(a, SqlValues.of("y"), 0);
        Accumulator c = list.add(a, SqlValues.of("z"), 0);
        assertThat(list.result(a).toString()).isEqualTo("[\"x\"]");
        assertThat(list.result(b).toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(list.result(c).toString()).isEqualTo("[\"x\",\"z\"]");
        assertThat(((Accumulator.Collected) b).values()).hasSize(2);
    }

    @Test
    void setsAndDistinctCountsCompareNumbersByValueAfterARoundTrip() throws Exception {
        var set = new AggregateFunction.CollectFn(true);
        var distinct = new AggregateFunction.CountDistinctFn();
        Accumulator s = set.add(set.init(), SqlValues.of(1.5), 0);
        Accumulator d = distinct.add(distinct.init(), SqlValues.of(1.5), 0);
        // read back, 1.5 is a decimal node: still the same value as the DOUBLE 1.5
        s = MAPPER.readValue(MAPPER.writeValueAsString(s), Accumulator.class);
        d = MAPPER.readValue(MAPPER.writeValueAsString(d), Accumulator.class);
        assertThat(MAPPER.writeValueAsString(d))
                .isEqualTo("{\"@type\":\"distinct\",\"values\":[1.5]}");
        s = set.add(s, SqlValues.of(1.5), 0);
        s = set.add(s, SqlValues.of(2.0), 0);
        d = distinct.add(d, SqlValues.of(1.5), 0);
        d = distinct.add(d, SqlValues.of(2L), 0);
        d = distinct.add(d, SqlValues.of(2.0), 0);
        assertThat(set.result(s)).hasSize(2);
        assertThat(distinct.result(d).asLong()).isEqualTo(2);
    }

    @Test
    void listsKeepDuplicatesAndNullsAndRoundTrip() throws Exception {
        var list = new AggregateFunction.CollectFn(false);
        Accumulator a = list.init();
        for (String v : List.of("a", "b", "a")) {
            a = list.add(a, SqlValues.of(v), 0);
        }
        a = list.add(a, SqlValues.nullValue(), 0);
        Accumulator back = MAPPER.readValue(MAPPER.writeValueAsString(a), Accumulator.class);
        assertThat(back).isEqualTo(a);
        assertThat(list.result(back).toString()).isEqualTo("[\"a\",\"b\",\"a\",null]");
        Accumulator merged = list.merge(a, back);
        assertThat(list.result(merged)).hasSize(8);
    }

    @Test
    void tenThousandDistinctValuesStayCheapToAdd() {
        var distinct = new AggregateFunction.CountDistinctFn();
        Accumulator d = distinct.init();
        for (long i = 0; i < 100_000; i++) {
            d = distinct.add(d, SqlValues.of(i % 10_000), 0);
        }
        assertThat(distinct.result(d).asLong()).isEqualTo(10_000);
    }
}
