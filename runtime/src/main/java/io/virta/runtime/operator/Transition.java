package io.virta.runtime.operator;

import java.util.List;
import java.util.Objects;

/**
 * What a pure operator step returns: the key's new state, the rows to emit downstream and the rows
 * that arrived too late (for the {@code <name>_late} side stream).
 *
 * @param state the new state; the old one is unchanged
 * @param outputs rows to emit, in order
 * @param late input rows rejected as later than the grace period, in order
 * @param <S> the state type
 */
public record Transition<S>(S state, List<Row> outputs, List<Row> late) {

    /** Copies the lists. */
    public Transition {
        Objects.requireNonNull(state, "state");
        outputs = List.copyOf(outputs);
        late = List.copyOf(late);
    }

    /**
     * @param state the unchanged or new state
     * @param <S> the state type
     * @return a transition that emits nothing
     */
    public static <S> Transition<S> quiet(S state) {
        return new Transition<>(state, List.of(), List.of());
    }
}
