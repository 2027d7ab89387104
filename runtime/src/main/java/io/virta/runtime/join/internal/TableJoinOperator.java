package io.virta.runtime.join.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.join.JoinType;
import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.TableJoinState;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * INTERNAL API: the stream-table join as a pure {@link KeyedJoinOperator}, as in ksqlDB. The left
 * side is the stream, the right side the table's changelog keyed by the table's key.
 *
 * <ul>
 *   <li>A table row replaces the key's current row; a tombstone deletes it. Table rows emit
 *       nothing.
 *   <li>A stream row is joined with the key's current table row when it is processed (processing
 *       order, not event time: a table update after the stream row does not re-emit it). Under
 *       INNER a stream row without a table row is dropped; under LEFT it is emitted with the table
 *       side NULL.
 *   <li>Nothing is late and there are no timers.
 * </ul>
 */
public final class TableJoinOperator implements KeyedJoinOperator<TableJoinState> {

    private final JoinType type;
    private final BiFunction<Row, Row, ObjectNode> projector;

    /**
     * @param type INNER or LEFT
     * @param projector the output payload of (stream row, table row or null); null drops it
     * @throws IllegalArgumentException for FULL
     */
    public TableJoinOperator(JoinType type, BiFunction<Row, Row, ObjectNode> projector) {
        if (type == JoinType.FULL) {
            throw new IllegalArgumentException("a stream-table join is INNER or LEFT");
        }
        this.type = type;
        this.projector = Objects.requireNonNull(projector);
    }

    @Override
    public TableJoinState initialState() {
        return TableJoinState.EMPTY;
    }

    @Override
    public Transition<TableJoinState> onRecord(
            TableJoinState state, JoinSide side, Row row, long watermark) {
        if (side == JoinSide.RIGHT) {
            return Transition.quiet(new TableJoinState(row.tombstone() ? null : row));
        }
        if (row.tombstone() || (state.tableRow() == null && type == JoinType.INNER)) {
            return Transition.quiet(state);
        }
        ObjectNode v = projector.apply(row, state.tableRow());
        return new Transition<>(
                state,
                v == null ? List.of() : List.of(Row.of(row.key(), row.eventTime(), v)),
                List.of());
    }

    @Override
    public Transition<TableJoinState> onWatermark(
            TableJoinState state, String key, long watermark) {
        return Transition.quiet(state);
    }

    @Override
    public long nextTimer(TableJoinState state) {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(TableJoinState state) {
        return state.tableRow() == null;
    }
}
