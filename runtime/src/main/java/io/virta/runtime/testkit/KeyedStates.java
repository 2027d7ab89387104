package io.virta.runtime.testkit;

import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a host does for a keyed operator, in memory: one immutable state per key and an index of the
 * keys' next timers, so advancing the watermark does not scan every key.
 *
 * @param <S> the operator's state type
 */
final class KeyedStates<S> {

    private final KeyedOperator<S> operator;
    private final Map<String, S> states = new HashMap<>();
    private final Map<String, Long> timerOfKey = new HashMap<>();
    private final TreeMap<Long, TreeSet<String>> keysByTimer = new TreeMap<>();

    KeyedStates(KeyedOperator<S> operator) {
        this.operator = operator;
    }

    /**
     * @param via the operator to apply (the same one, or a view of it that knows the row's side)
     */
    PipelineTestDriver.Emitted onRecord(KeyedOperator<S> via, Row row, long watermark) {
        String key = row.key() == null ? "" : row.key();
        S state = states.getOrDefault(key, operator.initialState());
        Transition<S> t = via.onRecord(state, row.withKey(key), watermark);
        store(key, t.state());
        return new PipelineTestDriver.Emitted(t.outputs(), t.late());
    }

    PipelineTestDriver.Emitted fireTimers(long watermark) {
        List<Row> out = new ArrayList<>();
        while (!keysByTimer.isEmpty() && keysByTimer.firstKey() <= watermark) {
            TreeSet<String> keys = keysByTimer.pollFirstEntry().getValue();
            for (String key : keys) {
                timerOfKey.remove(key);
                Transition<S> t = operator.onWatermark(states.get(key), key, watermark);
                out.addAll(t.outputs());
                store(key, t.state());
            }
        }
        return new PipelineTestDriver.Emitted(out, List.of());
    }

    private void store(String key, S state) {
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

    S state(String key) {
        return states.get(key);
    }
}
