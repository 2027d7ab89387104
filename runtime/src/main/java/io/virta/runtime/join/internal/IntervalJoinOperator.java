package io.virta.runtime.join.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.join.JoinType;
import io.virta.runtime.join.JoinWindow;
import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.IntervalJoinState;
import io.virta.runtime.operator.state.IntervalJoinState.Buffered;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * INTERNAL API: the stream-stream interval join as a pure {@link KeyedJoinOperator}.
 *
 * <ul>
 *   <li>A row arriving on one side joins every buffered row of the other side within the window and
 *       is buffered itself; so every pair is emitted exactly once, when its later row arrives.
 *   <li>A row behind the join's watermark is late (returned in {@link Transition#late()}): rows
 *       that could have joined it may already be gone.
 *   <li>A left row is evicted once the watermark is past {@code time + after} (no future right row
 *       can join it), a right row once it is past {@code time + before}. Under LEFT / FULL an
 *       evicted row that never joined is emitted with the other side NULL.
 *   <li>Output rows carry the join key and the later of the two event times (an unmatched row its
 *       own). The projector may return null to drop a pair (a WHERE after the join).
 * </ul>
 */
public final class IntervalJoinOperator implements KeyedJoinOperator<IntervalJoinState> {

    private final JoinType type;
    private final JoinWindow window;
    private final BiFunction<Row, Row, ObjectNode> projector;

    /**
     * @param type INNER, LEFT or FULL
     * @param window the bounds
     * @param projector the output payload of (left, right), either possibly null for outer rows;
     *     null drops the row
     */
    public IntervalJoinOperator(
            JoinType type, JoinWindow window, BiFunction<Row, Row, ObjectNode> projector) {
        this.type = Objects.requireNonNull(type);
        this.window = Objects.requireNonNull(window);
        this.projector = Objects.requireNonNull(projector);
    }

    @Override
    public IntervalJoinState initialState() {
        return IntervalJoinState.EMPTY;
    }

    @Override
    public Transition<IntervalJoinState> onRecord(
            IntervalJoinState state, JoinSide side, Row row, long watermark) {
        if (row.eventTime() < watermark) {
            return new Transition<>(
                    new IntervalJoinState(state.left(), state.right(), state.lateRecords() + 1),
                    List.of(),
                    List.of(row));
        }
        boolean left = side == JoinSide.LEFT;
        List<Buffered> others = new ArrayList<>(left ? state.right() : state.left());
        List<Row> out = new ArrayList<>();
        boolean matched = false;
        for (int i = 0; i < others.size(); i++) {
            Buffered o = others.get(i);
            Row l = left ? row : o.row();
            Row r = left ? o.row() : row;
            if (window.contains(l.eventTime(), r.eventTime())) {
                matched = true;
                emit(out, row.key(), Math.max(l.eventTime(), r.eventTime()), l, r);
                if (!o.matched()) {
                    others.set(i, new Buffered(o.row(), true));
                }
            }
        }
        List<Buffered> mine = new ArrayList<>(left ? state.left() : state.right());
        mine.add(new Buffered(row, matched));
        IntervalJoinState next =
                left
                        ? new IntervalJoinState(mine, others, state.lateRecords())
                        : new IntervalJoinState(others, mine, state.lateRecords());
        return expire(next, row.key(), watermark, out);
    }

    @Override
    public Transition<IntervalJoinState> onWatermark(
            IntervalJoinState state, String key, long watermark) {
        if (nextTimer(state) > watermark) {
            return Transition.quiet(state);
        }
        return expire(state, key, watermark, new ArrayList<>());
    }

    private Transition<IntervalJoinState> expire(
            IntervalJoinState s, String key, long watermark, List<Row> out) {
        List<Buffered> left = new ArrayList<>();
        for (Buffered b : s.left()) {
            if (watermark > b.row().eventTime() + window.after().toMillis()) {
                if (!b.matched() && type != JoinType.INNER) {
                    emit(out, key, b.row().eventTime(), b.row(), null);
                }
            } else {
                left.add(b);
            }
        }
        List<Buffered> right = new ArrayList<>();
        for (Buffered b : s.right()) {
            if (watermark > b.row().eventTime() + window.before().toMillis()) {
                if (!b.matched() && type == JoinType.FULL) {
                    emit(out, key, b.row().eventTime(), null, b.row());
                }
            } else {
                right.add(b);
            }
        }
        return new Transition<>(
                new IntervalJoinState(left, right, s.lateRecords()), out, List.of());
    }

    private void emit(List<Row> out, String key, long time, Row l, Row r) {
        ObjectNode v = projector.apply(l, r);
        if (v != null) {
            out.add(Row.of(key, time, v));
        }
    }

    @Override
    public long nextTimer(IntervalJoinState state) {
        long t = Long.MAX_VALUE;
        for (Buffered b : state.left()) {
            t = Math.min(t, b.row().eventTime() + window.after().toMillis() + 1);
        }
        for (Buffered b : state.right()) {
            t = Math.min(t, b.row().eventTime() + window.before().toMillis() + 1);
        }
        return t;
    }

    @Override
    public boolean isEmpty(IntervalJoinState state) {
        return state.left().isEmpty() && state.right().isEmpty();
    }
}
