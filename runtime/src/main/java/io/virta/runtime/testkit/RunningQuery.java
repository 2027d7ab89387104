package io.virta.runtime.testkit;

import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One persistent query inside the driver: runs the stateless steps, then the keyed aggregate with
 * one immutable state per key and an index of the keys' next timers (so closing windows does not
 * scan every key).
 */
final class RunningQuery {

    final QueryPlan plan;
    private final KeyedOperator<AggregateState> operator;
    private final Map<String, AggregateState> states = new HashMap<>();
    private final Map<String, Long> timerOfKey = new HashMap<>();
    private final TreeMap<Long, TreeSet<String>> keysByTimer = new TreeMap<>();

    RunningQuery(QueryPlan plan) {
        this.plan = plan;
        this.operator = plan.aggregate().map(Step.Aggregate::operator).orElse(null);
    }

    PipelineTestDriver.Emitted onRecord(Row input, long watermark) {
        Row row = plan.applyStateless(input).orElse(null);
        if (row == null) {
            return new PipelineTestDriver.Emitted(List.of(), List.of());
        }
        if (operator == null) {
            return new PipelineTestDriver.Emitted(List.of(row), List.of());
        }
        String key = row.key() == null ? "" : row.key();
        Row keyed = row.withKey(key);
        AggregateState state = states.getOrDefault(key, operator.initialState());
        Transition<AggregateState> t = operator.onRecord(state, keyed, watermark);
        store(key, t.state());
        return new PipelineTestDriver.Emitted(t.outputs(), t.late());
    }

    PipelineTestDriver.Emitted fireTimers(long watermark) {
        if (operator == null) {
            return new PipelineTestDriver.Emitted(List.of(), List.of());
        }
        List<Row> out = new ArrayList<>();
        while (!keysByTimer.isEmpty() && keysByTimer.firstKey() <= watermark) {
            TreeSet<String> keys = keysByTimer.pollFirstEntry().getValue();
            for (String key : keys) {
                timerOfKey.remove(key);
                Transition<AggregateState> t =
                        operator.onWatermark(states.get(key), key, watermark);
                out.addAll(t.outputs());
                store(key, t.state());
            }
        }
        return new PipelineTestDriver.Emitted(out, List.of());
    }

    private void store(String key, AggregateState state) {
        states.put(key, state);
        Long old = timerOfKey.remove(key);
        if (old != null) {
            TreeSet<String> set = keysByTimer.get(old);
            set.remove(key);
            if (set.isEmpty()) {
                keysByTimer.remove(old);
            }
        }
        long next = operator.nextTimer(state);
        if (next != Long.MAX_VALUE) {
            timerOfKey.put(key, next);
            keysByTimer.computeIfAbsent(next, k -> new TreeSet<>()).add(key);
        }
    }

    /**
     * @return the state of a key, for tests
     */
    AggregateState state(String key) {
        return states.get(key);
    }
}
