package io.virta.runtime.cep.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.cep.AfterMatchSkip;
import io.virta.runtime.cep.Match;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.CepState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * INTERNAL API: runs an {@link Nfa} per key as a pure {@link KeyedOperator}.
 *
 * <ul>
 *   <li>Event-time order: a record is buffered until the watermark reaches its event time, then
 *       processed with the other passed rows in event-time order (ties in arrival order). A record
 *       whose event time is behind the watermark it arrives with is late: it is returned in {@link
 *       Transition#late()} and counted.
 *   <li>WITHIN: a run whose next row would be at or after {@code start + within} is dropped; so is
 *       every run whose deadline the watermark has reached, which {@link #nextTimer} schedules, so
 *       a quiet key still prunes and reports the matches the dropped runs were holding back.
 *   <li>Each reported match becomes one output row: the projector's payload, the key, and the event
 *       time of the match's last row. A projector may return null to drop the match.
 * </ul>
 */
public final class CepOperator implements KeyedOperator<CepState> {

    private final Nfa nfa;
    private final long withinMillis;
    private final AfterMatchSkip skip;
    private final Function<Match, ObjectNode> projector;

    /**
     * @param nfa the automaton
     * @param within how long a match may last from its first row, or null for no limit
     * @param skip where to resume after a match
     * @param projector the output payload of a match, or null to drop it
     * @throws IllegalArgumentException when {@code within} is not positive, or {@code skip} names a
     *     variable the pattern does not have
     */
    public CepOperator(
            Nfa nfa, Duration within, AfterMatchSkip skip, Function<Match, ObjectNode> projector) {
        this.nfa = Objects.requireNonNull(nfa, "nfa");
        this.skip = Objects.requireNonNull(skip, "skip");
        this.projector = Objects.requireNonNull(projector, "projector");
        if (within != null && (within.isNegative() || within.isZero())) {
            throw new IllegalArgumentException("WITHIN must be positive: " + within);
        }
        this.withinMillis = within == null ? 0 : within.toMillis();
        if (skip instanceof AfterMatchSkip.ToVariable to
                && !nfa.variables().contains(to.variable())) {
            throw new IllegalArgumentException(
                    "AFTER MATCH SKIP names unknown variable " + to.variable());
        }
    }

    /**
     * @return the automaton this operator runs
     */
    public Nfa nfa() {
        return nfa;
    }

    @Override
    public CepState initialState() {
        return CepState.EMPTY;
    }

    @Override
    public Transition<CepState> onRecord(CepState state, Row row, long watermark) {
        if (row.eventTime() < watermark) {
            CepState s =
                    new CepState(
                            state.buffer(),
                            state.nextSeq(),
                            state.firstRetained(),
                            state.retained(),
                            state.runs(),
                            state.candidates(),
                            state.skipFloor(),
                            state.lateRecords() + 1);
            return new Transition<>(s, List.of(), List.of(row));
        }
        Matcher m = new Matcher(nfa, withinMillis, skip, row.key(), state);
        int i = m.buffer.size();
        while (i > 0 && m.buffer.get(i - 1).eventTime() > row.eventTime()) {
            i--;
        }
        m.buffer.add(i, row);
        m.advanceTo(watermark);
        return transition(m);
    }

    @Override
    public Transition<CepState> onWatermark(CepState state, String key, long watermark) {
        if (nextTimer(state) > watermark) {
            return Transition.quiet(state);
        }
        Matcher m = new Matcher(nfa, withinMillis, skip, key, state);
        m.advanceTo(watermark);
        return transition(m);
    }

    private Transition<CepState> transition(Matcher m) {
        List<Row> out = new ArrayList<>(m.matches.size());
        for (Match match : m.matches) {
            ObjectNode v = projector.apply(match);
            if (v != null) {
                out.add(Row.of(match.key(), match.lastRow().eventTime(), v));
            }
        }
        return new Transition<>(m.toState(), out, List.of());
    }

    @Override
    public long nextTimer(CepState state) {
        return Matcher.nextTimer(state, withinMillis);
    }

    @Override
    public boolean isEmpty(CepState state) {
        return state.buffer().isEmpty() && state.runs().isEmpty() && state.candidates().isEmpty();
    }
}
