package io.virta.runtime.operator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.Window;
import io.virta.runtime.operator.state.Accumulator;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.operator.state.WindowState;
import io.virta.runtime.types.SqlValues;
import io.virta.runtime.window.WindowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * INTERNAL API: GROUP BY with or without windows, as a pure {@link KeyedOperator}.
 *
 * <ul>
 *   <li>Tumbling and hopping: a record is folded into every covering window that is still open
 *       (close time = end + grace after the watermark); if none is open it is late.
 *   <li>Sessions: the record's window {@code [t, t+gap)} merges with every open session it
 *       intersects; accumulators merge in window order. A merge emits tombstones for the replaced
 *       sessions under EMIT CHANGES.
 *   <li>EMIT CHANGES emits the updated row of every window a record touched; EMIT FINAL emits once
 *       per window when the watermark closes it. Non-windowed aggregates always emit changes.
 *   <li>HAVING: a window whose row stops satisfying it emits a tombstone if a row was emitted.
 * </ul>
 */
public final class AggregateOperator implements KeyedOperator<AggregateState> {

    /** Builds the output payload of a group; returns null when HAVING rejects it. */
    @FunctionalInterface
    public interface Projector {
        /**
         * @param keyValues the GROUP BY values
         * @param results the aggregate results, in function order
         * @param window the window, or {@link Window#GLOBAL}
         * @return the output payload, or null when HAVING is false
         */
        ObjectNode project(List<JsonNode> keyValues, List<JsonNode> results, Window window);
    }

    private final WindowSpec windows;
    private final List<AggregateFunction> functions;
    private final List<Function<Row, JsonNode>> arguments;
    private final Function<Row, List<JsonNode>> keyValues;
    private final Projector projector;
    private final boolean emitFinal;

    /**
     * @param windows the window spec, or null for a non-windowed aggregation
     * @param functions the aggregate functions
     * @param arguments per function, the argument of a row (ignored by COUNT(*))
     * @param keyValues the GROUP BY values of a row
     * @param projector builds output payloads and applies HAVING
     * @param emitFinal EMIT FINAL (only with windows)
     */
    public AggregateOperator(
            WindowSpec windows,
            List<AggregateFunction> functions,
            List<Function<Row, JsonNode>> arguments,
            Function<Row, List<JsonNode>> keyValues,
            Projector projector,
            boolean emitFinal) {
        if (functions.size() != arguments.size()) {
            throw new IllegalArgumentException("one argument per function");
        }
        this.windows = windows;
        this.functions = List.copyOf(functions);
        this.arguments = List.copyOf(arguments);
        this.keyValues = Objects.requireNonNull(keyValues);
        this.projector = Objects.requireNonNull(projector);
        this.emitFinal = emitFinal && windows != null;
    }

    @Override
    public AggregateState initialState() {
        return AggregateState.EMPTY;
    }

    @Override
    public Transition<AggregateState> onRecord(AggregateState state, Row row, long watermark) {
        JsonNode[] args = new JsonNode[functions.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = arguments.get(i).apply(row);
        }
        List<JsonNode> keys =
                state.keyValues().isEmpty() ? keyValues.apply(row) : state.keyValues();
        List<WindowState> ws = new ArrayList<>(state.windows());
        List<Row> out = new ArrayList<>(2);
        boolean accepted;
        if (windows == null) {
            accepted = true;
            upsert(ws, Window.GLOBAL, args, row, keys, out);
        } else if (!windows.merging()) {
            accepted = false;
            for (Window w : windows.assign(row.eventTime())) {
                if (windows.closeTime(w) > watermark) {
                    accepted = true;
                    upsert(ws, w, args, row, keys, out);
                }
            }
        } else {
            accepted = mergeSession(ws, args, row, keys, watermark, out);
        }
        if (!accepted) {
            return new Transition<>(
                    new AggregateState(keys, state.windows(), state.lateRecords() + 1),
                    List.of(),
                    List.of(row));
        }
        return new Transition<>(new AggregateState(keys, ws, state.lateRecords()), out, List.of());
    }

    private void upsert(
            List<WindowState> ws,
            Window w,
            JsonNode[] args,
            Row row,
            List<JsonNode> keys,
            List<Row> out) {
        int i = indexOf(ws, w);
        WindowState cur = i >= 0 ? ws.get(i) : fresh(w, row.eventTime());
        WindowState next = fold(cur, args, row.eventTime());
        if (!emitFinal) {
            next = emitChange(next, row.key(), keys, out);
        }
        if (i >= 0) {
            ws.set(i, next);
        } else {
            insertSorted(ws, next);
        }
    }

    private boolean mergeSession(
            List<WindowState> ws,
            JsonNode[] args,
            Row row,
            List<JsonNode> keys,
            long watermark,
            List<Row> out) {
        Window merged = windows.assign(row.eventTime()).get(0);
        List<WindowState> overlapping = new ArrayList<>();
        for (WindowState s : ws) {
            if (s.window().intersects(merged)) {
                overlapping.add(s);
            }
        }
        if (overlapping.isEmpty() && windows.closeTime(merged) <= watermark) {
            return false;
        }
        WindowState acc = null;
        for (WindowState s : overlapping) {
            merged = merged.cover(s.window());
            acc = acc == null ? s : merge(acc, s);
        }
        ws.removeAll(overlapping);
        WindowState base =
                acc == null
                        ? fresh(merged, row.eventTime())
                        : new WindowState(merged, acc.maxEventTime(), acc.accumulators(), false);
        WindowState next = fold(base, args, row.eventTime());
        if (!emitFinal) {
            for (WindowState s : overlapping) {
                if (s.emitted() && !s.window().equals(merged)) {
                    out.add(tombstone(row.key(), s));
                }
            }
            Window result = merged;
            boolean wasEmitted =
                    overlapping.stream().anyMatch(s -> s.emitted() && s.window().equals(result));
            next =
                    new WindowState(
                            next.window(), next.maxEventTime(), next.accumulators(), wasEmitted);
            next = emitChange(next, row.key(), keys, out);
        }
        insertSorted(ws, next);
        return true;
    }

    private WindowState merge(WindowState a, WindowState b) {
        Accumulator[] accs = new Accumulator[functions.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = functions.get(i).merge(a.accumulators().get(i), b.accumulators().get(i));
        }
        return new WindowState(
                a.window().cover(b.window()),
                Math.max(a.maxEventTime(), b.maxEventTime()),
                List.of(accs),
                false);
    }

    private WindowState fresh(Window w, long eventTime) {
        Accumulator[] accs = new Accumulator[functions.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = functions.get(i).init();
        }
        return new WindowState(w, eventTime, List.of(accs), false);
    }

    private WindowState fold(WindowState s, JsonNode[] args, long eventTime) {
        // Built as an immutable list (List.of), which WindowState keeps without copying: a fold
        // runs once per record.
        Accumulator[] accs = new Accumulator[functions.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = functions.get(i).add(s.accumulators().get(i), args[i], eventTime);
        }
        return new WindowState(
                s.window(), Math.max(s.maxEventTime(), eventTime), List.of(accs), s.emitted());
    }

    private WindowState emitChange(WindowState s, String key, List<JsonNode> keys, List<Row> out) {
        ObjectNode value = projector.project(keys, results(s), s.window());
        if (value == null) {
            if (s.emitted()) {
                out.add(tombstone(key, s));
            }
            return new WindowState(s.window(), s.maxEventTime(), s.accumulators(), false);
        }
        out.add(new Row(key, s.maxEventTime(), value, windowOf(s), false));
        return new WindowState(s.window(), s.maxEventTime(), s.accumulators(), true);
    }

    private Row tombstone(String key, WindowState s) {
        return new Row(key, s.maxEventTime(), SqlValues.NODES.objectNode(), windowOf(s), true);
    }

    private static Window windowOf(WindowState s) {
        return s.window().isGlobal() ? null : s.window();
    }

    private List<JsonNode> results(WindowState s) {
        List<JsonNode> r = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            r.add(functions.get(i).result(s.accumulators().get(i)));
        }
        return r;
    }

    @Override
    public Transition<AggregateState> onWatermark(
            AggregateState state, String key, long watermark) {
        if (windows == null || nextTimer(state) > watermark) {
            return Transition.quiet(state);
        }
        List<WindowState> keep = new ArrayList<>(state.windows().size());
        List<Row> out = new ArrayList<>();
        for (WindowState s : state.windows()) {
            if (windows.closeTime(s.window()) > watermark) {
                keep.add(s);
            } else if (emitFinal) {
                ObjectNode value = projector.project(state.keyValues(), results(s), s.window());
                if (value != null) {
                    out.add(new Row(key, s.maxEventTime(), value, s.window(), false));
                }
            }
        }
        return new Transition<>(
                new AggregateState(state.keyValues(), keep, state.lateRecords()), out, List.of());
    }

    @Override
    public long nextTimer(AggregateState state) {
        if (windows == null) {
            return Long.MAX_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (WindowState s : state.windows()) {
            min = Math.min(min, windows.closeTime(s.window()));
        }
        return min;
    }

    @Override
    public boolean isEmpty(AggregateState state) {
        return state.windows().isEmpty();
    }

    private static int indexOf(List<WindowState> ws, Window w) {
        for (int i = 0; i < ws.size(); i++) {
            if (ws.get(i).window().equals(w)) {
                return i;
            }
        }
        return -1;
    }

    private static void insertSorted(List<WindowState> ws, WindowState s) {
        int i = 0;
        while (i < ws.size() && ws.get(i).window().compareTo(s.window()) < 0) {
            i++;
        }
        ws.add(i, s);
    }
}
