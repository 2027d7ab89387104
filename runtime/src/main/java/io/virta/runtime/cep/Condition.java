package io.virta.runtime.cep;

import io.virta.runtime.operator.Row;

/**
 * Whether a row may be bound to a pattern variable, possibly looking at the rows bound so far (an
 * "iterative condition" in Flink CEP). Must be a pure function of its arguments: the automaton may
 * evaluate it more than once for the same row.
 */
@FunctionalInterface
public interface Condition {

    /**
     * @param row the candidate row
     * @param match the partial match so far; {@link MatchContext#rows(String)} of the variable
     *     being tested already ends with {@code row} (SQL running semantics)
     * @return whether {@code row} may be bound to the variable
     */
    boolean test(Row row, MatchContext match);
}
