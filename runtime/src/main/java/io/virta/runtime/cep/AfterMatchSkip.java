package io.virta.runtime.cep;

import java.util.Objects;

/**
 * Where the next match attempt may start after a match is reported (SQL {@code AFTER MATCH SKIP}).
 * Attempts start at every row, in order; a match from start row {@code s} ending at row {@code e}
 * discards every attempt that starts before the row given here.
 */
public sealed interface AfterMatchSkip {

    /** {@code PAST LAST ROW} (the SQL default): no two reported matches share a row. */
    record PastLastRow() implements AfterMatchSkip {}

    /** {@code TO NEXT ROW}: the next attempt starts at the row after the match's first row. */
    record ToNextRow() implements AfterMatchSkip {}

    /**
     * {@code TO FIRST var} / {@code TO LAST var}: the next attempt starts at the first (last) row
     * bound to {@code variable}. When the match has no such row, or it is the match's first row
     * (which would find the same match again), this behaves as {@link ToNextRow}.
     *
     * @param variable a pattern variable
     * @param last whether to skip to the last row of the variable (else the first)
     */
    record ToVariable(String variable, boolean last) implements AfterMatchSkip {
        /** Checks the variable is present. */
        public ToVariable {
            Objects.requireNonNull(variable, "variable");
        }
    }

    /**
     * @return {@code AFTER MATCH SKIP PAST LAST ROW}
     */
    static AfterMatchSkip pastLastRow() {
        return new PastLastRow();
    }

    /**
     * @return {@code AFTER MATCH SKIP TO NEXT ROW}
     */
    static AfterMatchSkip toNextRow() {
        return new ToNextRow();
    }

    /**
     * @param variable a pattern variable
     * @return {@code AFTER MATCH SKIP TO FIRST variable}
     */
    static AfterMatchSkip toFirst(String variable) {
        return new ToVariable(variable, false);
    }

    /**
     * @param variable a pattern variable
     * @return {@code AFTER MATCH SKIP TO LAST variable}
     */
    static AfterMatchSkip toLast(String variable) {
        return new ToVariable(variable, true);
    }
}
