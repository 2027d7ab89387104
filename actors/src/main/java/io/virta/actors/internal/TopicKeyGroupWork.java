package io.virta.actors.internal;

import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API: what a {@link TopicKeyGroupEntity} has applied but not yet checkpointed: the state
 * of its keys ahead of its journal, and what changed since its last checkpoint.
 *
 * <p>Mutable, and owned by one entity: only its actor touches it, one message at a time. Every
 * record costs the group a lookup and an update of its key's state, so they go to a plain hash map
 * instead of a persistent one (whose lookups were a tenth of a node's time at the sustained rate of
 * the windowed-count benchmark). Nothing is lost by it: the journaled {@link TopicKeyGroupState}
 * stays an immutable value with a pure {@code apply}, a failed checkpoint restarts the entity, and
 * a restarted entity starts its work again from the recovered state ({@link #from}). The plan that
 * runs records and timers ({@link Plan}) is the same function of state and input however often it
 * runs.
 */
final class TopicKeyGroupWork {
    /** Per topic partition, the last offset applied. */
    private final Map<String, Long> offsets;

    /** Every key's operator state (keys whose state is empty are left out). */
    private final Map<String, Object> states;

    /** The keys whose state changed since the checkpoint. */
    private final Set<String> changed = new HashSet<>();

    /** Outputs made since the checkpoint, in order, numbered when checkpointed. */
    private final List<Output> rows = new ArrayList<>();

    /**
     * For a table, the last row of each key since the checkpoint (Kafka Streams' cache): what the
     * checkpoint keeps instead of {@link #rows}.
     */
    private final Map<String, Output> latestRows = new LinkedHashMap<>();

    /** The watermark acted on. */
    private long watermark;

    private TopicKeyGroupWork(
            Map<String, Long> offsets, Map<String, Object> states, long watermark) {
        this.offsets = new HashMap<>(offsets);
        this.states = new HashMap<>(states);
        this.watermark = watermark;
    }

    /** Nothing applied since {@code state}. */
    static TopicKeyGroupWork from(TopicKeyGroupState state) {
        return new TopicKeyGroupWork(state.offsets(), state.states(), state.watermark());
    }

    /** Every key's operator state; a read-only view. */
    Map<String, Object> states() {
        return Collections.unmodifiableMap(states);
    }

    /** The last offset of {@code partition} applied, or -1. */
    long applied(String partition) {
        return offsets.getOrDefault(partition, -1L);
    }

    /**
     * Of the partitions of {@code upTo}, those this has not applied up to the offset given, each
     * with the last offset it applied (-1: none); empty when it holds all of them.
     */
    Map<String, Long> behind(Map<String, Long> upTo) {
        Map<String, Long> behind = new HashMap<>();
        upTo.forEach(
                (partition, offset) -> {
                    if (applied(partition) < offset) {
                        behind.put(partition, applied(partition));
                    }
                });
        return behind;
    }

    /**
     * True when records sent after offset {@code after} of {@code partition} follow on from what
     * this applied: the group has applied that offset (or more), or the sender sent nothing before
     * them since the last commit ({@link TopicKeyGroupEntity#FIRST_SINCE_COMMIT}).
     */
    boolean continues(String partition, long after) {
        return after == TopicKeyGroupEntity.FIRST_SINCE_COMMIT || applied(partition) >= after;
    }

    /** True when this holds anything {@code state} does not. */
    boolean aheadOf(TopicKeyGroupState state) {
        return !changed.isEmpty()
                || !rows.isEmpty()
                || !latestRows.isEmpty()
                || !offsets.equals(state.offsets())
                || watermark != state.watermark();
    }

    /**
     * The event that checkpoints this work on top of {@code state}: the changed keys' states, the
     * keys now empty, and the outputs numbered on from the state's. Changes nothing; {@link
     * #checkpointed} does, once the event is on its way to the journal.
     */
    TopicKeyGroupEntity.Checkpointed checkpoint(TopicKeyGroupState state) {
        Map<String, Object> changedStates = new HashMap<>();
        List<String> removed = new ArrayList<>();
        for (String key : changed) {
            Object s = states.get(key);
            if (s == null) {
                if (state.states().containsKey(key)) {
                    removed.add(key);
                }
            } else {
                changedStates.put(key, s);
            }
        }
        List<Output> outputs = new ArrayList<>(rows.size() + latestRows.size());
        long number = state.outputs();
        for (List<Output> made : List.of(rows, new ArrayList<>(latestRows.values()))) {
            for (Output o : made) {
                outputs.add(
                        new Output(++number, o.key(), o.eventTimeMillis(), o.payload(), o.late()));
            }
        }
        return new TopicKeyGroupEntity.Checkpointed(
                offsets, changedStates, removed, outputs, watermark);
    }

    /**
     * Starts the next checkpoint's changes: what {@link #checkpoint} returned is the journal's now.
     * The keys' states, offsets and watermark stay: they are the checkpointed state's.
     */
    void checkpointed() {
        changed.clear();
        rows.clear();
        latestRows.clear();
    }

    /** How the keys of one group of a pipeline run their records and timers. */
    static final class Plan {
        private final PipelineRegistry.Running running;
        private final KeyedOperator<Object> operator;
        private final boolean coalesce;

        Plan(PipelineRegistry.Running running) {
            this.running = running;
            this.operator = PipelineRows.operator(running.plan());
            // A table's changes (an aggregate without window) keep only the last row per key and
            // checkpoint, as a Kafka Streams cache does.
            this.coalesce =
                    running.plan().aggregate().map(a -> a.window() == null).orElse(false)
                            && running.plan().match().isEmpty();
        }

        /** True when the pipeline has a keyed operator, whose state may ask for timers. */
        boolean keyed() {
            return operator != null;
        }

        /**
         * The group's next timer: the earliest of its keys' ({@code Long.MAX_VALUE}: none). Scans
         * the keys; asked once per checkpoint and fired timer, not per record.
         */
        long nextTimer(Iterable<Object> states) {
            if (operator == null) {
                return Long.MAX_VALUE;
            }
            long next = Long.MAX_VALUE;
            for (Object s : states) {
                next = Math.min(next, operator.nextTimer(s));
            }
            return next;
        }

        /**
         * Applies to {@code w} the records of {@code partition} above the offset it applied, each
         * run under its own key in offset order; {@code w} is left as it is when none is new.
         * Returns {@code w}.
         */
        TopicKeyGroupWork apply(
                TopicKeyGroupWork w,
                String partition,
                List<TopicKeyGroupEntity.TopicInput> inputs) {
            long last = w.applied(partition);
            long notBefore = running.notBefore();
            Map<String, List<Row>> byKey = new LinkedHashMap<>();
            for (TopicKeyGroupEntity.TopicInput in : inputs) {
                if (in.offset() > last) {
                    last = in.offset();
                    if (in.arrivalTimeMillis() >= notBefore) {
                        byKey.computeIfAbsent(in.key(), k -> new ArrayList<>())
                                .add(Row.of(in.key(), in.eventTimeMillis(), in.payload()));
                    }
                }
            }
            if (last == w.applied(partition)) {
                return w;
            }
            for (Map.Entry<String, List<Row>> e : byKey.entrySet()) {
                String key = e.getKey();
                Object before = w.states.get(key);
                PipelineRows.Result result =
                        PipelineRows.runRows(
                                running.plan(), operator, before, e.getValue(), w.watermark);
                w.withKey(
                        key,
                        before,
                        result.state(),
                        result.rows(),
                        result.late(),
                        operator,
                        coalesce);
            }
            w.offsets.put(partition, last);
            return w;
        }

        /**
         * Applies to {@code w} that the watermark reached {@code watermark}: every key whose timer
         * it passed closes what it closes. Needs {@link #keyed}. Returns {@code w}.
         */
        TopicKeyGroupWork onWatermark(TopicKeyGroupWork w, long watermark) {
            List<String> due = new ArrayList<>();
            for (Map.Entry<String, Object> entry : w.states.entrySet()) {
                if (operator.nextTimer(entry.getValue()) <= watermark) {
                    due.add(entry.getKey());
                }
            }
            for (String key : due) {
                Object before = w.states.get(key);
                Transition<Object> t = operator.onWatermark(before, key, watermark);
                w.withKey(key, before, t.state(), t.outputs(), List.of(), operator, coalesce);
            }
            w.watermark = Math.max(w.watermark, watermark);
            return w;
        }
    }

    /**
     * Key {@code key}'s new state (forgotten when the operator says it is empty) and its new
     * outputs; numbers are given at the checkpoint. {@code before} is the key's state in this
     * (null: none).
     */
    private void withKey(
            String key,
            Object before,
            Object state,
            List<Row> made,
            List<Row> late,
            KeyedOperator<Object> operator,
            boolean coalesce) {
        if (operator != null) {
            boolean empty = state == null || operator.isEmpty(state);
            if (empty ? before != null : before != state) {
                if (empty) {
                    states.remove(key);
                } else {
                    states.put(key, state);
                }
                changed.add(key);
            }
        }
        if (made.isEmpty() && late.isEmpty()) {
            return;
        }
        List<Output> fresh = PipelineRows.outputs(0, made, late, key);
        if (coalesce) {
            for (Output o : fresh) {
                latestRows.put(o.key(), o);
            }
        } else {
            rows.addAll(fresh);
        }
    }
}
