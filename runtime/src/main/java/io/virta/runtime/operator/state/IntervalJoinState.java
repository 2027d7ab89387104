package io.virta.runtime.operator.state;

import io.virta.runtime.operator.Row;
import java.util.List;
import java.util.Objects;

/**
 * The state of one key of an interval join: each side's rows that may still join a row of the other
 * side, in arrival order. Immutable; Jackson serializes it as is.
 *
 * @param left buffered left rows
 * @param right buffered right rows
 * @param lateRecords how many rows of this key arrived behind the watermark
 */
public record IntervalJoinState(List<Buffered> left, List<Buffered> right, long lateRecords) {

    /** The state of a key never seen. */
    public static final IntervalJoinState EMPTY = new IntervalJoinState(List.of(), List.of(), 0);

    /** Copies the lists. */
    public IntervalJoinState {
        left = List.copyOf(left);
        right = List.copyOf(right);
    }

    /**
     * A buffered row.
     *
     * @param row the row
     * @param matched whether it joined a row of the other side (outer joins emit it padded with
     *     NULLs when it expires otherwise)
     */
    public record Buffered(Row row, boolean matched) {
        /** Checks the row is present. */
        public Buffered {
            Objects.requireNonNull(row, "row");
        }
    }
}
