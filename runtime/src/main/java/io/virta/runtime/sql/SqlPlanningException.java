package io.virta.runtime.sql;

/**
 * The statement parses but cannot run: unknown stream, unknown column, unknown function, a type
 * mismatch such as {@code SUM} of a string, a non-aggregated column outside {@code GROUP BY}.
 */
public final class SqlPlanningException extends SqlException {

    /**
     * @param position where the offending expression starts
     * @param reason what is wrong
     */
    public SqlPlanningException(Position position, String reason) {
        super(position, reason);
    }
}
