package io.virta.actors.internal;

import io.virta.actors.internal.PipelineRows.Input;
import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: what a {@link TopicKeyEntity} has applied but not yet checkpointed: the key's state
 * ahead of its journal. Immutable; the plan runs in {@link Plan}, which is pure, so a key's work is
 * the same however often it is redone from a checkpoint.
 *
 * @param offsets per topic partition, the last offset applied
 * @param operatorState the keyed operator's state, or null
 * @param outputs outputs made since the checkpoint, numbered on from it
 * @param watermark the watermark acted on
 */
record TopicKeyWork(
        Map<String, Long> offsets, Object operatorState, List<Output> outputs, long watermark) {

    /** Nothing applied since {@code state}. */
    static TopicKeyWork from(TopicKeyState state) {
        return new TopicKeyWork(
                state.offsets(), state.operatorState(), List.of(), state.watermark());
    }

    /** The last offset of {@code partition} applied, or -1. */
    long applied(String partition) {
        return offsets.getOrDefault(partition, -1L);
    }

    /**
     * True when records sent after offset {@code after} of {@code partition} follow on from what
     * this applied: the key has applied that offset (or more), or the sender sent nothing before
     * them since the last commit ({@link TopicKeyEntity#FIRST_SINCE_COMMIT}).
     */
    boolean continues(String partition, long after) {
        return after == TopicKeyEntity.FIRST_SINCE_COMMIT || applied(partition) >= after;
    }

    /** True when this holds anything {@code state} does not. */
    boolean aheadOf(TopicKeyState state) {
        return !outputs.isEmpty()
                || !offsets.equals(state.offsets())
                || watermark != state.watermark();
    }

    /** The event that checkpoints this work. */
    TopicKeyEntity.Checkpointed checkpoint() {
        return new TopicKeyEntity.Checkpointed(offsets, operatorState, outputs, watermark);
    }

    /** How one key of a pipeline runs its records and timers. */
    static final class Plan {
        private final PipelineRegistry.Running running;
        private final KeyedOperator<Object> operator;
        private final String key;
        private final boolean coalesce;

        Plan(PipelineRegistry.Running running, String key) {
            this.running = running;
            this.operator = PipelineRows.operator(running.plan());
            this.key = key;
            // A table's changes (an aggregate without window) keep only the last row per
            // checkpoint, as a Kafka Streams cache does.
            this.coalesce =
                    running.plan().aggregate().map(a -> a.window() == null).orElse(false)
                            && running.plan().match().isEmpty();
        }

        /** True when the pipeline has a keyed operator, whose state may ask for timers. */
        boolean keyed() {
            return operator != null;
        }

        /** The operator's next timer for {@code operatorState}, or {@code Long.MAX_VALUE}. */
        long nextTimer(Object operatorState) {
            return operator == null || operatorState == null
                    ? Long.MAX_VALUE
                    : operator.nextTimer(operatorState);
        }

        /**
         * {@code w} after the records of {@code partition} above the offset it applied; {@code w}
         * itself when none is new.
         */
        TopicKeyWork apply(
                TopicKeyState state,
                TopicKeyWork w,
                String partition,
                List<TopicKeyEntity.TopicInput> inputs) {
            long last = w.applied(partition);
            List<Input> fresh = new ArrayList<>(inputs.size());
            for (TopicKeyEntity.TopicInput in : inputs) {
                if (in.offset() > last) {
                    fresh.add(
                            new Input(
                                    in.offset(),
                                    in.eventTimeMillis(),
                                    in.arrivalTimeMillis(),
                                    in.payload()));
                    last = in.offset();
                }
            }
            if (fresh.isEmpty()) {
                return w;
            }
            long notBefore =
                    running.definition().start().equals("latest")
                            ? running.definition().createdAtMillis()
                            : Long.MIN_VALUE;
            PipelineRows.Result result =
                    PipelineRows.run(
                            running.plan(),
                            operator,
                            w.operatorState(),
                            key,
                            fresh,
                            notBefore,
                            w.watermark());
            Map<String, Long> offsets = new HashMap<>(w.offsets());
            offsets.put(partition, last);
            return new TopicKeyWork(
                    offsets,
                    result.state(),
                    append(state, w.outputs(), result.rows(), result.late()),
                    w.watermark());
        }

        /** {@code w} after the watermark reached {@code watermark}. Needs {@link #keyed}. */
        TopicKeyWork onWatermark(TopicKeyState state, TopicKeyWork w, long watermark) {
            Transition<Object> t = operator.onWatermark(w.operatorState(), key, watermark);
            return new TopicKeyWork(
                    w.offsets(),
                    t.state(),
                    append(state, w.outputs(), t.outputs(), List.of()),
                    Math.max(w.watermark(), watermark));
        }

        /**
         * The outputs made since the checkpoint followed by these, numbered on from the state's;
         * for a table only the last row is kept.
         */
        private List<Output> append(
                TopicKeyState state, List<Output> before, List<Row> rows, List<Row> late) {
            long made = state.outputs() + before.size();
            List<Output> fresh = PipelineRows.outputs(made, rows, late, key);
            if (fresh.isEmpty()) {
                return before;
            }
            if (coalesce) {
                Output last = fresh.get(fresh.size() - 1);
                return List.of(
                        new Output(
                                state.outputs() + 1,
                                last.key(),
                                last.eventTimeMillis(),
                                last.payload(),
                                last.late()));
            }
            return OutboxDelivery.appended(before, fresh);
        }
    }
}
