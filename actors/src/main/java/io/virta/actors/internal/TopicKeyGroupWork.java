package io.virta.actors.internal;

import io.virta.actors.internal.PipelineRows.Output;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: what a {@link TopicKeyGroupEntity} has applied but not yet checkpointed: the state
 * of its keys ahead of its journal, and what changed since its last checkpoint.
 *
 * <p>Mutable, and owned by one entity: only its actor touches it, one message at a time. Every
 * record costs the group a lookup and an update of its key's state, so they go to a plain hash map
 * instead of a persistent one (whose lookups were a tenth of a node's time at the sustained rate of
 * the windowed-count benchmark), each key's in a {@link Slot} that is updated in place, so that a
 * key already held costs one lookup per batch. Nothing is lost by it: the journaled {@link
 * TopicKeyGroupState} stays an immutable value with a pure {@code apply}, a failed checkpoint
 * restarts the entity, and a restarted entity starts its work again from the recovered state
 * ({@link #from}). The plan that runs records and timers ({@link Plan}) is the same function of
 * state and input however often it runs.
 */
final class TopicKeyGroupWork {
    /** Per topic partition, the last offset applied. */
    private final Map<String, Long> offsets;

    /**
     * Every key's slot. A key whose state became empty keeps its slot, empty, until the checkpoint
     * has recorded its removal.
     */
    private final Map<String, Slot> slots = new HashMap<>();

    /** The keys whose slot changed since the checkpoint, each once. */
    private final List<String> changed = new ArrayList<>();

    /** How many slots hold a state. */
    private int held;

    /** Outputs made since the checkpoint, in order, numbered when checkpointed. */
    private final List<Output> rows = new ArrayList<>();

    /**
     * For a table, the last row of each key since the checkpoint (Kafka Streams' cache): what the
     * checkpoint keeps instead of {@link #rows}.
     */
    private final Map<String, Output> latestRows = new LinkedHashMap<>();

    /** The watermark acted on. */
    private long watermark;

    /** A key's operator state (null: empty) and whether it changed since the checkpoint. */
    private static final class Slot {
        Object state;
        boolean changed;

        Slot(Object state) {
            this.state = state;
        }
    }

    private TopicKeyGroupWork(
            Map<String, Long> offsets, Map<String, Object> states, long watermark) {
        this.offsets = new HashMap<>(offsets);
        states.forEach((key, state) -> slots.put(key, new Slot(state)));
        this.held = slots.size();
        this.watermark = watermark;
    }

    /** Nothing applied since {@code state}. */
    static TopicKeyGroupWork from(TopicKeyGroupState state) {
        return new TopicKeyGroupWork(state.offsets(), state.states(), state.watermark());
    }

    /** Every key's operator state (keys whose state is empty are left out), a copy. */
    Map<String, Object> states() {
        Map<String, Object> states = new HashMap<>();
        slots.forEach(
                (key, slot) -> {
                    if (slot.state != null) {
                        states.put(key, slot.state);
                    }
                });
        return states;
    }

    /** True when no key holds a state. */
    boolean empty() {
        return held == 0;
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
            Object s = slots.get(key).state;
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
        for (java.util.Collection<Output> made : List.of(rows, latestRows.values())) {
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
        for (String key : changed) {
            Slot slot = slots.get(key);
            slot.changed = false;
            if (slot.state == null) {
                slots.remove(key);
            }
        }
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
                Slot slot = w.slots.get(key);
                boolean fresh = slot == null;
                if (fresh) {
                    slot = new Slot(null);
                }
                PipelineRows.Result result =
                        PipelineRows.runRows(
                                running.plan(), operator, slot.state, e.getValue(), w.watermark);
                w.withKey(
                        key,
                        slot,
                        result.state(),
                        result.rows(),
                        result.late(),
                        operator,
                        coalesce);
                if (fresh && slot.changed) {
                    w.slots.put(key, slot);
                }
            }
            w.offsets.put(partition, last);
            return w;
        }

        /**
         * Applies to {@code w} that the watermark reached {@code watermark}: every key whose timer
         * it passed closes what it closes. Needs {@link #keyed}. Returns {@code w}.
         */
        TopicKeyGroupWork onWatermark(TopicKeyGroupWork w, long watermark) {
            for (Map.Entry<String, Slot> entry : w.slots.entrySet()) {
                Slot slot = entry.getValue();
                if (slot.state != null && operator.nextTimer(slot.state) <= watermark) {
                    Transition<Object> t =
                            operator.onWatermark(slot.state, entry.getKey(), watermark);
                    w.withKey(
                            entry.getKey(),
                            slot,
                            t.state(),
                            t.outputs(),
                            List.of(),
                            operator,
                            coalesce);
                }
            }
            w.watermark = Math.max(w.watermark, watermark);
            return w;
        }
    }

    /**
     * Key {@code key}'s new state in its slot (null when the operator says it is empty) and its new
     * outputs; numbers are given at the checkpoint.
     */
    private void withKey(
            String key,
            Slot slot,
            Object state,
            List<Row> made,
            List<Row> late,
            KeyedOperator<Object> operator,
            boolean coalesce) {
        if (operator != null) {
            Object before = slot.state;
            boolean empty = state == null || operator.isEmpty(state);
            if (empty ? before != null : before != state) {
                slot.state = empty ? null : state;
                held += (empty ? 0 : 1) - (before == null ? 0 : 1);
                if (!slot.changed) {
                    slot.changed = true;
                    changed.add(key);
                }
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
