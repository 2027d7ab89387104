package io.virta.runtime.sql;

import java.util.List;

/**
 * The text is not in the dialect: names the line, the column, the offending text and the tokens the
 * grammar expected there.
 */
public final class SqlSyntaxException extends SqlException {

    private final String offendingText;
    private final List<String> expected;

    /**
     * @param position where the offending token starts
     * @param offendingText the token text found there ({@code <EOF>} at the end)
     * @param expected display names of tokens that would have been accepted, sorted; may be empty
     * @param reason the message of the parser
     */
    public SqlSyntaxException(
            Position position, String offendingText, List<String> expected, String reason) {
        super(position, reason);
        this.offendingText = offendingText;
        this.expected = List.copyOf(expected);
    }

    /**
     * @return the token text found at {@link #position()}
     */
    public String offendingText() {
        return offendingText;
    }

    /**
     * @return the tokens the grammar expected at {@link #position()}, sorted
     */
    public List<String> expected() {
        return expected;
    }
}
