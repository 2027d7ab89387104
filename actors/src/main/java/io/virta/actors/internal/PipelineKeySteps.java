package io.virta.actors.internal;

import io.virta.actors.internal.PipelineKeyEntity.Advanced;
import io.virta.actors.internal.PipelineKeyEntity.State;
import io.virta.actors.internal.PipelineRows.Input;
import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import java.util.List;

/**
 * INTERNAL API: the pure part of a {@link PipelineKeyEntity}: what new input, or a timer the
 * watermark reached, makes the key journal. No I/O: the entity reads, persists and delivers.
 */
final class PipelineKeySteps {
    private final PipelineRegistry.Running running;
    private final KeyedOperator<Object> operator;
    private final String key;
    private final String side;

    /**
     * @param operator the plan's keyed operator run on this key, or null (none, or it runs on the
     *     re-keyed group)
     * @param side {@code L} or {@code R} for a side of a join, else null
     */
    PipelineKeySteps(
            PipelineRegistry.Running running,
            KeyedOperator<Object> operator,
            String key,
            String side) {
        this.running = running;
        this.operator = operator;
        this.key = key;
        this.side = side;
    }

    /**
     * Runs the plan over {@code inputs}. Lateness is judged against the watermark this key has
     * acted on (its last timer), so a window is closed, and its final result emitted, exactly once.
     */
    Advanced advance(State state, List<Input> inputs) {
        long notBefore = running.notBefore();
        if (side != null) {
            List<Row> rows =
                    PipelineRows.joinRows(
                            running.plan().join().orElseThrow(), side, key, inputs, notBefore);
            return new Advanced(
                    inputs.get(inputs.size() - 1).seq(),
                    null,
                    outputs(state.outputs(), rows, List.of()),
                    state.watermark());
        }
        PipelineRows.Result result =
                PipelineRows.run(
                        running.plan(),
                        operator,
                        state.operatorState(),
                        key,
                        inputs,
                        notBefore,
                        state.watermark());
        return new Advanced(
                inputs.get(inputs.size() - 1).seq(),
                result.state(),
                outputs(state.outputs(), result.rows(), result.late()),
                state.watermark());
    }

    /** The key after the watermark reached {@code watermark}: what it closes, as outputs. */
    Advanced onWatermark(State state, long watermark) {
        Transition<Object> t = operator.onWatermark(state.operatorState(), key, watermark);
        return new Advanced(
                state.inputSeq(),
                t.state(),
                outputs(state.outputs(), t.outputs(), List.of()),
                watermark);
    }

    /**
     * A re-keyed row goes to its new key ("" for a global aggregate); otherwise rows keep this key.
     * Late rows go to the late side stream.
     */
    private List<Output> outputs(long before, List<Row> rows, List<Row> late) {
        return PipelineRows.outputs(before, rows, late, running.plan().rekeys() ? "" : key);
    }
}
