package io.virta.actors.internal;

import io.virta.runtime.operator.KeyedOperator;

/**
 * INTERNAL API: the timer of one pipeline entity (a pipeline key or a group) at its clock:
 * registers the operator's next timer when it changes, and confirms a fired one. Not thread-safe:
 * used from the entity's own message handling only.
 */
final class KeyTimer {
    private final ClockClient clock;
    private final KeyedOperator<Object> operator;
    private final String entityId;
    private long registered = Long.MIN_VALUE;

    /**
     * @param operator the entity's keyed operator, or null when it has none (no timers)
     */
    KeyTimer(ClockClient clock, KeyedOperator<Object> operator, String entityId) {
        this.clock = clock;
        this.operator = operator;
        this.entityId = entityId;
    }

    /** Tells the clock the operator's next timer for {@code state}, unless told already. */
    void register(Object state) {
        if (operator == null || state == null) {
            return;
        }
        long next = operator.nextTimer(state);
        if (next != Long.MAX_VALUE && next != registered) {
            registered = next;
            clock.set(entityId, next);
        }
    }

    /** Confirms the timer at {@code fireAt} was handled; the next one registers afresh. */
    void done(long fireAt) {
        clock.done(entityId, fireAt);
        registered = Long.MIN_VALUE;
    }
}
