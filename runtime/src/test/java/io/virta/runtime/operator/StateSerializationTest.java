package io.virta.runtime.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.runtime.operator.state.Accumulator;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.operator.state.WindowState;
import io.virta.runtime.types.SqlValues;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operator state round-trips through Jackson, so an actor can persist and snapshot it. */
class StateSerializationTest {

    @Test
    void aggregateStateRoundTrips() throws Exception {
        var state =
                new AggregateState(
                        List.of(SqlValues.of("u1")),
                        List.of(
                                new WindowState(
                                        new Window(0, 900_000),
                                        42,
                                        List.of(
                                                new Accumulator.Count(3),
                                                new Accumulator.Collected(
                                                        List.of(
                                                                SqlValues.of("a"),
                                                                SqlValues.of(2L))),
                                                new Accumulator.DecimalSum(new BigDecimal("1.50")),
                                                new Accumulator.Average(3.0, 2),
                                                new Accumulator.Picked(7, SqlValues.of("x")),
                                                new Accumulator.Extreme(null)),
                                        true)),
                        1);
        ObjectMapper mapper =
                new ObjectMapper()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .enable(DeserializationFeature.USE_LONG_FOR_INTS);
        String json = mapper.writeValueAsString(state);
        AggregateState back = mapper.readValue(json, AggregateState.class);
        assertThat(mapper.writeValueAsString(back)).isEqualTo(json);
        assertThat(back.windows().get(0).window()).isEqualTo(new Window(0, 900_000));
        assertThat(back.windows().get(0).accumulators().get(0)).isEqualTo(new Accumulator.Count(3));
        var max = new io.virta.runtime.operator.internal.AggregateFunction.ExtremeFn(true);
        assertThat(max.result(back.windows().get(0).accumulators().get(5)).isNull()).isTrue();
        assertThat(max.add(back.windows().get(0).accumulators().get(5), SqlValues.of(5L), 0))
                .isEqualTo(new Accumulator.Extreme(SqlValues.of(5L)));
    }
}
