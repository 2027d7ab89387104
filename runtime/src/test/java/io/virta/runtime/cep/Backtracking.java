package io.virta.runtime.cep;

import io.virta.runtime.cep.internal.Regex;
import io.virta.runtime.operator.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference semantics, written only for tests: a backtracking matcher that tries, for each
 * start row in order, the ways the pattern can match in preference order and takes the first
 * (SQL:2016 / Perl-style preference), then resumes where {@link AfterMatchSkip} says. Strict
 * contiguity only; quantified bodies must not match empty sequences.
 */
final class Backtracking {

    /** A reported match: its first row index and the variable of each row. */
    record Found(int start, List<String> labels) {
        @Override
        public String toString() {
            return start + ":" + String.join(" ", labels);
        }
    }

    private interface Cont {
        Optional<List<String>> apply(int pos, List<String> labels);
    }

    private final Regex pattern;
    private final Map<String, Condition> conditions;
    private final long within;
    private final List<Row> rows;
    private int start;

    Backtracking(Regex pattern, Map<String, Condition> conditions, long within, List<Row> rows) {
        this.pattern = pattern;
        this.conditions = conditions;
        this.within = within;
        this.rows = rows;
    }

    List<Found> all(AfterMatchSkip skip) {
        List<Found> out = new ArrayList<>();
        int s = 0;
        while (s < rows.size()) {
            start = s;
            Optional<List<String>> m = match(pattern, s, List.of(), (p, l) -> Optional.of(l));
            if (m.isEmpty()) {
                s++;
                continue;
            }
            List<String> labels = m.get();
            out.add(new Found(s, labels));
            s = next(skip, s, labels);
        }
        return out;
    }

    private static int next(AfterMatchSkip skip, int s, List<String> labels) {
        if (skip instanceof AfterMatchSkip.PastLastRow) {
            return s + labels.size();
        }
        if (skip instanceof AfterMatchSkip.ToVariable to) {
            int at = to.last() ? labels.lastIndexOf(to.variable()) : labels.indexOf(to.variable());
            if (at > 0) {
                return s + at;
            }
        }
        return s + 1;
    }

    private Optional<List<String>> match(Regex r, int pos, List<String> labels, Cont k) {
        if (r instanceof Regex.Var v) {
            if (pos >= rows.size()
                    || rows.get(pos).eventTime() - rows.get(start).eventTime() >= within) {
                return Optional.empty();
            }
            Row row = rows.get(pos);
            if (!conditions.get(v.name()).test(row, context(labels, v.name(), row))) {
                return Optional.empty();
            }
            List<String> l = new ArrayList<>(labels);
            l.add(v.name());
            return k.apply(pos + 1, l);
        }
        if (r instanceof Regex.Concat c) {
            return concat(c.items(), 0, pos, labels, k);
        }
        if (r instanceof Regex.Alt a) {
            for (Regex o : a.options()) {
                Optional<List<String>> m = match(o, pos, labels, k);
                if (m.isPresent()) {
                    return m;
                }
            }
            return Optional.empty();
        }
        Regex.Repeat q = (Regex.Repeat) r;
        return repeat(q, 0, pos, labels, k);
    }

    private Optional<List<String>> concat(
            List<Regex> items, int i, int pos, List<String> labels, Cont k) {
        if (i == items.size()) {
            return k.apply(pos, labels);
        }
        return match(items.get(i), pos, labels, (p, l) -> concat(items, i + 1, p, l, k));
    }

    private Optional<List<String>> repeat(
            Regex.Repeat q, int count, int pos, List<String> labels, Cont k) {
        Cont more = (p, l) -> repeat(q, count + 1, p, l, k);
        if (count < q.min()) {
            return match(q.body(), pos, labels, more);
        }
        boolean canMore = q.max() == Regex.Repeat.UNBOUNDED || count < q.max();
        if (!canMore) {
            return k.apply(pos, labels);
        }
        if (q.greedy()) {
            Optional<List<String>> m = match(q.body(), pos, labels, more);
            return m.isPresent() ? m : k.apply(pos, labels);
        }
        Optional<List<String>> m = k.apply(pos, labels);
        return m.isPresent() ? m : match(q.body(), pos, labels, more);
    }

    private MatchContext context(List<String> labels, String testing, Row current) {
        List<Row> bound = rows.subList(start, start + labels.size());
        return new MatchContext() {
            @Override
            public List<Row> rows(String variable) {
                List<Row> out = new ArrayList<>();
                for (int i = 0; i < labels.size(); i++) {
                    if (labels.get(i).equals(variable)) {
                        out.add(bound.get(i));
                    }
                }
                if (variable.equals(testing)) {
                    out.add(current);
                }
                return out;
            }

            @Override
            public List<Row> rows() {
                List<Row> out = new ArrayList<>(bound);
                out.add(current);
                return out;
            }
        };
    }
}
