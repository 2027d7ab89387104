package io.virta.runtime.testkit;

import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.QueryPlan;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One persistent query inside the driver: runs the stateless steps, then the keyed stateful step
 * (aggregate or pattern match) with one immutable state per key, or a join of two sources.
 */
final class RunningQuery {

    final QueryPlan plan;
    private final KeyedStates<Object> keyed;
    private final KeyedOperator<Object> operator;
    private final RunningJoin join;

    @SuppressWarnings("unchecked")
    RunningQuery(QueryPlan plan) {
        this.plan = plan;
        this.operator = (KeyedOperator<Object>) plan.keyed().map(s -> s.operator()).orElse(null);
        this.keyed = operator == null ? null : new KeyedStates<>(operator);
        this.join = plan.join().map(RunningJoin::new).orElse(null);
    }

    /**
     * @return the normalized names of the sources this query reads
     */
    List<String> sources() {
        return plan.sources().stream().map(s -> PipelineTestDriver.norm(s.name())).toList();
    }

    PipelineTestDriver.Emitted onRecord(
            String source, Row input, ToLongFunction<String> watermarks) {
        if (join != null) {
            return join.onRecord(source, input, watermarks);
        }
        Row row = plan.applyStateless(input).orElse(null);
        if (row == null) {
            return new PipelineTestDriver.Emitted(List.of(), List.of());
        }
        if (keyed == null) {
            return new PipelineTestDriver.Emitted(List.of(row), List.of());
        }
        return keyed.onRecord(operator, row, watermarks.applyAsLong(source));
    }

    PipelineTestDriver.Emitted fireTimers(ToLongFunction<String> watermarks) {
        if (join != null) {
            return join.fireTimers(watermarks);
        }
        if (keyed == null) {
            return new PipelineTestDriver.Emitted(List.of(), List.of());
        }
        return keyed.fireTimers(watermarks.applyAsLong(sources().get(0)));
    }

    /**
     * @return the state of a key, for tests
     */
    Object state(String key) {
        return keyed == null ? null : keyed.state(key);
    }
}
