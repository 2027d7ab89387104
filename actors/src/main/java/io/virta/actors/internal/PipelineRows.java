package io.virta.actors.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: the pure part of running a pipeline on one key: input rows through the plan's steps
 * and aggregate, and results numbered into outputs. No I/O, no clock: the entities journal what
 * this returns.
 */
public final class PipelineRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineRows() {}

    /** One input event, as the input key stored it. */
    public record Input(long seq, long eventTimeMillis, long arrivalTimeMillis, String payload)
            implements CborSerializable {}

    /**
     * One output row, numbered from 1 within the entity that made it.
     *
     * @param late true for an input row that came after its windows closed: it goes to the
     *     pipeline's {@code <name>_late} stream instead of {@code <name>}
     */
    public record Output(
            long number, String key, long eventTimeMillis, String payload, boolean late)
            implements CborSerializable {}

    /**
     * What one batch of input made: the keyed operator's new state (null without one), the rows out
     * and the input rows that came too late for their windows.
     */
    public record Result(Object state, List<Row> rows, List<Row> late) {}

    /**
     * The plan's one-input keyed operator (an aggregate or a pattern match), typed for a host that
     * keeps its state as an opaque value; null when the plan has none.
     */
    @SuppressWarnings("unchecked")
    public static KeyedOperator<Object> operator(QueryPlan plan) {
        return plan.keyed().map(k -> (KeyedOperator<Object>) k.operator()).orElse(null);
    }

    /**
     * True when the plan's operator acts on the watermark: windows close by it, and a pattern match
     * orders its rows by it.
     */
    public static boolean timed(QueryPlan plan) {
        if (plan.match().isPresent()) {
            return true;
        }
        if (plan.join().isPresent()) {
            return !plan.join().get().streamTable();
        }
        return plan.aggregate().map(a -> a.window() != null).orElse(false);
    }

    /**
     * True when the plan's state lives in groups ({@link PipelineGroupEntity}) rather than in the
     * input keys: it re-keys before its keyed operator, or it joins (both inputs meet at the join
     * key).
     */
    public static boolean grouped(QueryPlan plan) {
        return plan.join().isPresent() || (plan.rekeys() && plan.keyed().isPresent());
    }

    /**
     * The rows of one side of a join, keyed by their join column, for the join key's group; a row
     * without a join key never joins and is left out.
     *
     * @param side {@code L} or {@code R}
     * @param notBefore inputs that arrived before this time are skipped
     */
    public static List<Row> joinRows(
            Step.Join join, String side, String key, List<Input> inputs, long notBefore) {
        Step.JoinInput input = side.equals("L") ? join.left() : join.right();
        List<Row> rows = new ArrayList<>();
        for (Input in : inputs) {
            if (in.arrivalTimeMillis() < notBefore) {
                continue;
            }
            Row row = Row.of(key, in.eventTimeMillis(), parse(in.payload()));
            String joinKey = input.key().apply(row);
            if (joinKey != null && !joinKey.isEmpty()) {
                rows.add(row.withKey(joinKey));
            }
        }
        return rows;
    }

    /**
     * Runs {@code inputs} of {@code key} through {@code plan}'s stateless steps and, when {@code
     * operator} is not null, the aggregate, judging lateness against {@code watermark}.
     *
     * @param notBefore inputs that arrived before this time are skipped (a pipeline started from
     *     the latest)
     */
    public static Result run(
            QueryPlan plan,
            KeyedOperator<Object> operator,
            Object operatorState,
            String key,
            List<Input> inputs,
            long notBefore,
            long watermark) {
        List<Row> rows = new ArrayList<>(inputs.size());
        for (Input input : inputs) {
            if (input.arrivalTimeMillis() >= notBefore) {
                rows.add(Row.of(key, input.eventTimeMillis(), parse(input.payload())));
            }
        }
        return runRows(plan, operator, operatorState, rows, watermark);
    }

    /**
     * Runs input {@code rows} of one key, read already, through {@code plan}'s stateless steps and,
     * when {@code operator} is not null, the aggregate, judging lateness against {@code watermark}.
     * The rows' values are read, never changed.
     */
    public static Result runRows(
            QueryPlan plan,
            KeyedOperator<Object> operator,
            Object operatorState,
            List<Row> inputs,
            long watermark) {
        Object state =
                operator == null
                        ? null
                        : operatorState == null ? operator.initialState() : operatorState;
        List<Row> rows = new ArrayList<>();
        List<Row> late = new ArrayList<>();
        for (Row input : inputs) {
            Row row = plan.applyStateless(input).orElse(null);
            if (row == null) {
                continue;
            } else if (operator == null) {
                rows.add(row);
            } else {
                Transition<Object> t = operator.onRecord(state, row, watermark);
                state = t.state();
                rows.addAll(t.outputs());
                late.addAll(t.late());
            }
        }
        return new Result(state, rows, late);
    }

    /**
     * Numbers {@code rows}, then the {@code late} rows, after the {@code before} outputs made so
     * far; tombstones are not stored. A row without key goes to {@code defaultKey}.
     */
    static List<Output> outputs(long before, List<Row> rows, List<Row> late, String defaultKey) {
        List<Output> outputs = new ArrayList<>();
        long number = before;
        for (Row out : rows) {
            if (!out.tombstone()) {
                outputs.add(output(++number, out, defaultKey, false));
            }
        }
        for (Row out : late) {
            outputs.add(output(++number, out, defaultKey, true));
        }
        return outputs;
    }

    private static Output output(long number, Row row, String defaultKey, boolean late) {
        String key = row.key() != null ? row.key() : defaultKey;
        return new Output(number, key, row.eventTime(), row.value().toString(), late);
    }

    /** A stored payload as JSON. */
    public static ObjectNode parse(String payload) {
        try {
            return (ObjectNode) JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored payload is not JSON", e);
        }
    }
}
