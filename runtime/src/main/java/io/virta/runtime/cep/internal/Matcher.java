package io.virta.runtime.cep.internal;

import io.virta.runtime.cep.AfterMatchSkip;
import io.virta.runtime.cep.Match;
import io.virta.runtime.cep.internal.Regex.Contiguity;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.operator.state.PartialMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * INTERNAL API: one transition of a key's pattern state, on mutable copies of the {@link CepState}
 * lists; {@link #toState()} freezes the result. The input state is never changed.
 *
 * <p>The algorithm is a Pike VM with bindings: runs are kept in preference order (earlier start
 * first, then the order in which backtracking would try them); each row advances every run in that
 * order, and a run that completes cuts the less preferred runs of its start. A completed match of
 * start {@code s} is reported once no more preferred run of {@code s} and no run or match of an
 * earlier start is left, so the reported matches are exactly those a backtracking matcher would
 * report trying starts in row order, subject to AFTER MATCH SKIP.
 */
final class Matcher {

    private final Nfa nfa;
    private final long withinMillis;
    private final AfterMatchSkip skip;
    private final String key;

    final List<Row> buffer;
    private long nextSeq;
    private long firstRetained;
    private final List<Row> retained;
    private List<PartialMatch> runs;
    private final List<PartialMatch> candidates;
    private long skipFloor;
    long lateRecords;
    final List<Match> matches = new ArrayList<>();

    Matcher(Nfa nfa, long withinMillis, AfterMatchSkip skip, String key, CepState s) {
        this.nfa = nfa;
        this.withinMillis = withinMillis;
        this.skip = skip;
        this.key = key;
        this.buffer = new ArrayList<>(s.buffer());
        this.nextSeq = s.nextSeq();
        this.firstRetained = s.firstRetained();
        this.retained = new ArrayList<>(s.retained());
        this.runs = new ArrayList<>(s.runs());
        this.candidates = new ArrayList<>(s.candidates());
        this.skipFloor = s.skipFloor();
        this.lateRecords = s.lateRecords();
    }

    CepState toState() {
        return new CepState(
                buffer, nextSeq, firstRetained, retained, runs, candidates, skipFloor, lateRecords);
    }

    /** Processes the buffered rows the watermark has passed, then prunes runs by WITHIN. */
    void advanceTo(long watermark) {
        int n = 0;
        while (n < buffer.size() && buffer.get(n).eventTime() <= watermark) {
            process(buffer.get(n));
            n++;
        }
        buffer.subList(0, n).clear();
        prune(watermark);
        resolve();
        trim();
    }

    /** Drops runs that can no longer complete WITHIN their interval once time reaches {@code t}. */
    private void prune(long t) {
        if (withinMillis > 0) {
            runs.removeIf(r -> t - r.startTime() >= withinMillis);
        }
    }

    private void process(Row row) {
        long seq = nextSeq++;
        if (retained.isEmpty()) {
            firstRetained = seq;
        }
        retained.add(row);
        prune(row.eventTime());
        List<PartialMatch> next = new ArrayList<>(runs.size() + 2);
        Set<Long> completed = new HashSet<>();
        Set<PartialMatch> seen = new HashSet<>();
        for (PartialMatch r : runs) {
            advance(r, row, next, completed, seen);
        }
        if (seq >= skipFloor) {
            PartialMatch fresh = new PartialMatch(seq, row.eventTime(), -1, List.of());
            for (int node : nfa.startClosure()) {
                take(fresh, node, row, next, completed, seen);
            }
        }
        runs = next;
    }

    private void advance(
            PartialMatch r,
            Row row,
            List<PartialMatch> next,
            Set<Long> completed,
            Set<PartialMatch> seen) {
        boolean taken = take(r, r.node(), row, next, completed, seen);
        Contiguity c = nfa.contiguityOf(r.node());
        if (c == Contiguity.ANY || (c == Contiguity.RELAXED && !taken)) {
            add(
                    new PartialMatch(r.start(), r.startTime(), r.node(), append(r.labels(), -1)),
                    next,
                    completed,
                    seen);
        }
    }

    /** Tries to bind {@code row} at TAKE node {@code node}; returns whether the condition held. */
    private boolean take(
            PartialMatch r,
            int node,
            Row row,
            List<PartialMatch> next,
            Set<Long> completed,
            Set<PartialMatch> seen) {
        int v = nfa.variableOf(node);
        RunContext ctx =
                new RunContext(
                        nfa.variables(), retained, firstRetained, r.start(), r.labels(), v, row);
        if (!nfa.conditionOf(v).test(row, ctx)) {
            return false;
        }
        List<Integer> labels = append(r.labels(), v);
        for (int to : nfa.afterTake(node)) {
            PartialMatch p =
                    new PartialMatch(r.start(), r.startTime(), nfa.isMatch(to) ? -1 : to, labels);
            if (nfa.isMatch(to)) {
                complete(p, completed);
            } else {
                add(p, next, completed, seen);
            }
        }
        return true;
    }

    private static void add(
            PartialMatch p, List<PartialMatch> next, Set<Long> completed, Set<PartialMatch> seen) {
        if (!completed.contains(p.start()) && seen.add(p)) {
            next.add(p);
        }
    }

    /** A run completed: it beats the start's earlier candidate and every less preferred run. */
    private void complete(PartialMatch p, Set<Long> completed) {
        if (!completed.add(p.start())) {
            return;
        }
        int i = 0;
        while (i < candidates.size() && candidates.get(i).start() < p.start()) {
            i++;
        }
        if (i < candidates.size() && candidates.get(i).start() == p.start()) {
            candidates.set(i, p);
        } else {
            candidates.add(i, p);
        }
    }

    /** Reports the candidates that nothing more preferred can beat any more, in start order. */
    private void resolve() {
        while (true) {
            long floor = skipFloor;
            runs.removeIf(r -> r.start() < floor);
            candidates.removeIf(c -> c.start() < floor);
            if (candidates.isEmpty()) {
                return;
            }
            PartialMatch c = candidates.get(0);
            if (!runs.isEmpty() && runs.get(0).start() <= c.start()) {
                return;
            }
            candidates.remove(0);
            matches.add(toMatch(c));
            skipFloor = Math.max(skipFloor, nextStart(c));
        }
    }

    private long nextStart(PartialMatch c) {
        if (skip instanceof AfterMatchSkip.PastLastRow) {
            return c.end() + 1;
        }
        if (skip instanceof AfterMatchSkip.ToVariable to) {
            int v = nfa.variables().indexOf(to.variable());
            List<Integer> ls = c.labels();
            int at = to.last() ? ls.lastIndexOf(v) : ls.indexOf(v);
            if (v >= 0 && at > 0) {
                return c.start() + at;
            }
        }
        return c.start() + 1;
    }

    private Match toMatch(PartialMatch c) {
        List<Row> rows = new ArrayList<>();
        List<String> vars = new ArrayList<>();
        for (int i = 0; i < c.labels().size(); i++) {
            int v = c.labels().get(i);
            if (v >= 0) {
                rows.add(retained.get((int) (c.start() + i - firstRetained)));
                vars.add(nfa.variables().get(v));
            }
        }
        return new Match(key, rows, vars);
    }

    /** Forgets processed rows that no run or candidate refers to any more. */
    private void trim() {
        long min = nextSeq;
        for (PartialMatch r : runs) {
            min = Math.min(min, r.start());
        }
        for (PartialMatch c : candidates) {
            min = Math.min(min, c.start());
        }
        int drop = (int) Math.min(retained.size(), min - firstRetained);
        if (drop > 0) {
            retained.subList(0, drop).clear();
            firstRetained += drop;
        }
        if (retained.isEmpty()) {
            firstRetained = nextSeq;
        }
    }

    /**
     * @return the earliest watermark at which {@link #advanceTo} has work: the first buffered row,
     *     or the first WITHIN deadline of a run
     */
    static long nextTimer(CepState s, long withinMillis) {
        long t = s.buffer().isEmpty() ? Long.MAX_VALUE : s.buffer().get(0).eventTime();
        if (withinMillis > 0) {
            for (PartialMatch r : s.runs()) {
                t = Math.min(t, r.startTime() + withinMillis);
            }
        }
        return t;
    }

    private static List<Integer> append(List<Integer> labels, int v) {
        List<Integer> out = new ArrayList<>(labels.size() + 1);
        out.addAll(labels);
        out.add(v);
        return out;
    }
}
