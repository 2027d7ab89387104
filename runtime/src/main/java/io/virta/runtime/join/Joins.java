package io.virta.runtime.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.join.internal.IntervalJoinOperator;
import io.virta.runtime.join.internal.TableJoinOperator;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.IntervalJoinState;
import io.virta.runtime.operator.state.TableJoinState;
import java.util.function.BiFunction;

/**
 * Join operators for users embedding the runtime; SQL joins compile to the same operators.
 *
 * <pre>{@code
 * KeyedJoinOperator<IntervalJoinState> j = Joins.interval(JoinType.LEFT,
 *     JoinWindow.of(Duration.ofHours(1)), (view, purchase) -> merge(view, purchase));
 * }</pre>
 */
public final class Joins {

    private Joins() {}

    /**
     * A stream-stream interval join. Each side buffers its rows until the watermark (the smaller of
     * the two inputs') is past the window, then evicts them, emitting unmatched rows padded with
     * NULLs under LEFT (left rows) and FULL (both sides). Rows behind the watermark are late.
     *
     * @param type INNER, LEFT or FULL
     * @param window the bounds
     * @param projector the payload of (left, right), either side null for an unmatched outer row;
     *     null drops the row
     * @return the operator
     */
    public static KeyedJoinOperator<IntervalJoinState> interval(
            JoinType type, JoinWindow window, BiFunction<Row, Row, ObjectNode> projector) {
        return new IntervalJoinOperator(type, window, projector);
    }

    /**
     * A stream-table join: the right side is the table's changelog (tombstones delete), the left
     * side the stream, whose rows are enriched with the key's current table row as they arrive.
     *
     * @param type INNER or LEFT
     * @param projector the payload of (stream row, table row or null); null drops the row
     * @return the operator
     * @throws IllegalArgumentException for FULL
     */
    public static KeyedJoinOperator<TableJoinState> streamTable(
            JoinType type, BiFunction<Row, Row, ObjectNode> projector) {
        return new TableJoinOperator(type, projector);
    }
}
