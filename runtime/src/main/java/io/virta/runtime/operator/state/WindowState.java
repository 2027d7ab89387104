package io.virta.runtime.operator.state;

import io.virta.runtime.operator.Window;
import java.util.List;
import java.util.Objects;

/**
 * The aggregates of one key inside one window.
 *
 * @param window the window ({@link Window#GLOBAL} when the query has none)
 * @param maxEventTime the highest event time folded in: the event time of emitted results
 * @param accumulators one per aggregate function of the query, in plan order
 * @param emitted whether a row for this window was emitted and not deleted since (so a HAVING that
 *     stops holding, or a session merge, emits a tombstone)
 */
public record WindowState(
        Window window, long maxEventTime, List<Accumulator> accumulators, boolean emitted) {

    /** Copies the list. */
    public WindowState {
        Objects.requireNonNull(window, "window");
        accumulators = List.copyOf(accumulators);
    }
}
