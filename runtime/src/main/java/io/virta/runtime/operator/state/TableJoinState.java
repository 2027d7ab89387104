package io.virta.runtime.operator.state;

import io.virta.runtime.operator.Row;

/**
 * The state of one key of a stream-table join: the table's current row for the key. Immutable;
 * Jackson serializes it as is.
 *
 * @param tableRow the latest table row, or null when the key has none (never seen, or deleted by a
 *     tombstone)
 */
public record TableJoinState(Row tableRow) {

    /** The state of a key never seen. */
    public static final TableJoinState EMPTY = new TableJoinState(null);
}
