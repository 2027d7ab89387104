package io.virta.runtime.sql;

/**
 * A place in SQL text: 1-based line and 1-based column, as an editor shows it.
 *
 * @param line line number, from 1
 * @param column column number, from 1
 */
public record Position(int line, int column) {

    /** Where no text exists (statements built in code). */
    public static final Position UNKNOWN = new Position(0, 0);

    /**
     * @throws IllegalArgumentException when line or column is negative
     */
    public Position {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative position " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
