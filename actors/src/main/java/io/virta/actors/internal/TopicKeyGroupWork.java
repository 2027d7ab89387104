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
 * of its keys ahead of its journal. Immutable: the keys' states are a persistent map, so applying a
 * batch costs what the batch touches, not what the group holds. The plan runs in {@link Plan},
 * which is pure, so a group's work is the same however often it is redone from a checkpoint.
 *
 * @param offsets per topic partition, the last offset applied
 * @param states every key's operator state (keys whose state is empty are left out)
 * @param changed the keys whose state changed since the checkpoint
 * @param rows outputs made since the checkpoint, in order, numbered when checkpointed
 * @param latestRows for a table, the last row of each key since the checkpoint (Kafka Streams'
 *     cache): what the checkpoint keeps instead of {@code rows}
 * @param watermark the watermark acted on
 */
record TopicKeyGroupWork(
        Map<String, Long> offsets,
        io.vavr.collection.Map<String, Object> states,
        io.vavr.collection.Set<String> changed,
        io.vavr.collection.Vector<Output> rows,
        io.vavr.collection.LinkedHashMap<String, Output> latestRows,
        long watermark) {

    /** Nothing applied since {@code state}. */
    static TopicKeyGroupWork from(TopicKeyGroupState state) {
        return new TopicKeyGroupWork(
                state.offsets(),
                io.vavr.collection.HashMap.ofAll(state.states()),
                io.vavr.collection.HashSet.empty(),
                io.vavr.collection.Vector.empty(),
                io.vavr.collection.LinkedHashMap.empty(),
                state.watermark());
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
     * keys now empty, and the outputs numbered on from the state's.
     */
    TopicKeyGroupEntity.Checkpointed checkpoint(TopicKeyGroupState state) {
        Map<String, Object> changedStates = new HashMap<>();
        List<String> removed = new ArrayList<>();
        for (String key : changed) {
            Object s = states.get(key).getOrNull();
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
        for (Output o : rows.appendAll(latestRows.values())) {
            outputs.add(new Output(++number, o.key(), o.eventTimeMillis(), o.payload(), o.late()));
        }
        return new TopicKeyGroupEntity.Checkpointed(
                offsets, changedStates, removed, outputs, watermark);
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
         * {@code w} after the records of {@code partition} above the offset it applied, each run
         * under its own key in offset order; {@code w} itself when none is new.
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
            TopicKeyGroupWork next = w;
            for (Map.Entry<String, List<Row>> e : byKey.entrySet()) {
                String key = e.getKey();
                // Looked up once per key and batch: the persistent map's lookups are most of what
                // a record costs the group.
                Object before = next.states().get(key).getOrNull();
                PipelineRows.Result result =
                        PipelineRows.runRows(
                                running.plan(), operator, before, e.getValue(), next.watermark());
                next =
                        next.withKey(
                                key,
                                before,
                                result.state(),
                                result.rows(),
                                result.late(),
                                operator,
                                coalesce);
            }
            Map<String, Long> offsets = new HashMap<>(next.offsets());
            offsets.put(partition, last);
            return new TopicKeyGroupWork(
                    offsets,
                    next.states(),
                    next.changed(),
                    next.rows(),
                    next.latestRows(),
                    next.watermark());
        }

        /**
         * {@code w} after the watermark reached {@code watermark}: every key whose timer it passed
         * closes what it closes. Needs {@link #keyed}.
         */
        TopicKeyGroupWork onWatermark(TopicKeyGroupWork w, long watermark) {
            TopicKeyGroupWork next = w;
            for (var entry : w.states()) {
                if (operator.nextTimer(entry._2()) <= watermark) {
                    Transition<Object> t = operator.onWatermark(entry._2(), entry._1(), watermark);
                    next =
                            next.withKey(
                                    entry._1(),
                                    entry._2(),
                                    t.state(),
                                    t.outputs(),
                                    List.of(),
                                    operator,
                                    coalesce);
                }
            }
            return new TopicKeyGroupWork(
                    next.offsets(),
                    next.states(),
                    next.changed(),
                    next.rows(),
                    next.latestRows(),
                    Math.max(next.watermark(), watermark));
        }
    }

    /**
     * This with key {@code key}'s new state (forgotten when the operator says it is empty) and its
     * new outputs; numbers are given at the checkpoint. {@code before} is the key's state in this
     * (null: none).
     */
    private TopicKeyGroupWork withKey(
            String key,
            Object before,
            Object state,
            List<Row> made,
            List<Row> late,
            KeyedOperator<Object> operator,
            boolean coalesce) {
        io.vavr.collection.Map<String, Object> nextStates = states;
        io.vavr.collection.Set<String> nextChanged = changed;
        if (operator != null) {
            boolean empty = state == null || operator.isEmpty(state);
            if (empty ? before != null : before != state) {
                nextStates = empty ? states.remove(key) : states.put(key, state);
                nextChanged = changed.add(key);
            }
        }
        List<Output> fresh = PipelineRows.outputs(0, made, late, key);
        io.vavr.collection.Vector<Output> nextRows = rows;
        io.vavr.collection.LinkedHashMap<String, Output> nextLatest = latestRows;
        if (coalesce) {
            for (Output o : fresh) {
                nextLatest = nextLatest.put(o.key(), o);
            }
        } else {
            nextRows = rows.appendAll(fresh);
        }
        return new TopicKeyGroupWork(
                offsets, nextStates, nextChanged, nextRows, nextLatest, watermark);
    }
}
