package io.virta.runtime.testkit;

import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A join inside the driver: re-keys each side's rows by its join column, hands them to the
 * two-input operator with their side, and uses the smaller of the two sources' watermarks (a
 * stream-table join uses the stream's). A self-join feeds each row to both sides.
 */
final class RunningJoin {

    private final Step.Join step;
    private final String left;
    private final String right;
    private final KeyedStates<Object> states;
    private final KeyedOperator<Object> leftView;
    private final KeyedOperator<Object> rightView;

    @SuppressWarnings("unchecked")
    RunningJoin(Step.Join step) {
        this.step = step;
        this.left = PipelineTestDriver.norm(step.left().source().name());
        this.right = PipelineTestDriver.norm(step.right().source().name());
        KeyedJoinOperator<Object> op = (KeyedJoinOperator<Object>) step.operator();
        this.leftView = op.side(JoinSide.LEFT);
        this.rightView = op.side(JoinSide.RIGHT);
        this.states = new KeyedStates<>(leftView);
    }

    PipelineTestDriver.Emitted onRecord(String source, Row row, ToLongFunction<String> watermarks) {
        List<Row> out = new ArrayList<>();
        List<Row> late = new ArrayList<>();
        long wm = watermark(watermarks);
        if (source.equals(left) && !row.tombstone()) {
            collect(
                    states.onRecord(leftView, row.withKey(step.left().key().apply(row)), wm),
                    out,
                    late);
        }
        if (source.equals(right) && (!row.tombstone() || step.streamTable())) {
            Row keyed = row.tombstone() ? row : row.withKey(step.right().key().apply(row));
            collect(states.onRecord(rightView, keyed, wm), out, late);
        }
        return new PipelineTestDriver.Emitted(out, late);
    }

    PipelineTestDriver.Emitted fireTimers(ToLongFunction<String> watermarks) {
        return states.fireTimers(watermark(watermarks));
    }

    private long watermark(ToLongFunction<String> watermarks) {
        long l = watermarks.applyAsLong(left);
        return step.streamTable() ? l : Math.min(l, watermarks.applyAsLong(right));
    }

    private static void collect(PipelineTestDriver.Emitted e, List<Row> out, List<Row> late) {
        out.addAll(e.outputs());
        late.addAll(e.late());
    }
}
