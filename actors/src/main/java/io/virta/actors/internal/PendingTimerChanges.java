package io.virta.actors.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API: the timer changes a topic-fed clock has heard but not journaled yet. Keys confirm
 * fired timers one by one; journaling each would cost a write per key per window, so they gather
 * here and go out as one {@link StreamClock.TimersChanged} event. Losing them in a crash only makes
 * timers fire again, which keys answer again. Not thread-safe: used from the clock's own message
 * handling only.
 */
final class PendingTimerChanges {
    private static final int MAX_PENDING = 1000;

    private final Map<String, Long> set = new HashMap<>();
    private final Map<String, Long> cleared = new HashMap<>();

    /** Keys' next timers to journal now (from a source, before it commits). */
    void setAll(Map<String, Long> timers) {
        set.putAll(timers);
        timers.keySet().forEach(cleared::remove);
    }

    /** Key {@code entityId} handled its timer at {@code fireAt}; its next is {@code next}. */
    void handled(String entityId, long fireAt, long next) {
        set.remove(entityId);
        cleared.put(entityId, fireAt);
        if (next != Long.MAX_VALUE) {
            set.put(entityId, next);
        }
    }

    boolean isEmpty() {
        return set.isEmpty() && cleared.isEmpty();
    }

    /** True once enough gathered to journal without waiting for the next tick. */
    boolean full() {
        return set.size() + cleared.size() >= MAX_PENDING;
    }

    /** {@code journaled} with these changes applied: the timers in force now. */
    Map<String, Long> over(Map<String, Long> journaled) {
        return applied(journaled, set, cleared);
    }

    /**
     * {@code timers} after the changes of one {@link StreamClock.TimersChanged}: each cleared timer
     * removed if it is still the one that fired, then each set one put ({@code Long.MAX_VALUE}: the
     * key has none).
     */
    static Map<String, Long> applied(
            Map<String, Long> timers, Map<String, Long> set, Map<String, Long> cleared) {
        Map<String, Long> next = new HashMap<>(timers);
        // remove(key, value): a cleared timer goes only if it is still the one that fired.
        cleared.forEach(next::remove);
        set.forEach(
                (id, at) -> {
                    if (at == Long.MAX_VALUE) {
                        next.remove(id);
                    } else {
                        next.put(id, at);
                    }
                });
        return next;
    }

    /** The event that journals what gathered; afterwards nothing is pending. */
    StreamClock.TimersChanged drain() {
        StreamClock.TimersChanged changed = new StreamClock.TimersChanged(set, cleared);
        set.clear();
        cleared.clear();
        return changed;
    }
}
