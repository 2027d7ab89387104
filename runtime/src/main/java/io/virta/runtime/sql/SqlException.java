package io.virta.runtime.sql;

import java.util.Objects;

/**
 * A statement was rejected: its text does not parse ({@link SqlSyntaxException}) or it does not
 * make sense against the catalog ({@link SqlPlanningException}). Both carry the position of the
 * offending text.
 */
public abstract sealed class SqlException extends RuntimeException
        permits SqlSyntaxException, SqlPlanningException {

    private final Position position;
    private final String reason;

    /**
     * @param position where the problem is
     * @param reason what is wrong, without the position
     */
    protected SqlException(Position position, String reason) {
        super(reason + " at " + Objects.requireNonNull(position, "position"));
        this.position = position;
        this.reason = reason;
    }

    /**
     * @return where the problem is (1-based line and column)
     */
    public Position position() {
        return position;
    }

    /**
     * @return 1-based line of the problem
     */
    public int line() {
        return position.line();
    }

    /**
     * @return 1-based column of the problem
     */
    public int column() {
        return position.column();
    }

    /**
     * @return what is wrong, without the position
     */
    public String reason() {
        return reason;
    }
}
