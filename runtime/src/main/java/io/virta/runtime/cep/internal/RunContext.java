package io.virta.runtime.cep.internal;

import io.virta.runtime.cep.MatchContext;
import io.virta.runtime.operator.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: the view a condition gets of a run: the rows bound so far plus, for the variable
 * being tested, the candidate row (SQL running semantics). Built lazily, one per evaluation.
 */
final class RunContext implements MatchContext {

    private final List<String> variables;
    private final List<Row> retained;
    private final long firstRetained;
    private final long start;
    private final List<Integer> labels;
    private final int testing;
    private final Row current;

    RunContext(
            List<String> variables,
            List<Row> retained,
            long firstRetained,
            long start,
            List<Integer> labels,
            int testing,
            Row current) {
        this.variables = variables;
        this.retained = retained;
        this.firstRetained = firstRetained;
        this.start = start;
        this.labels = labels;
        this.testing = testing;
        this.current = current;
    }

    @Override
    public List<Row> rows(String variable) {
        int v = variables.indexOf(variable);
        List<Row> out = new ArrayList<>();
        if (v < 0) {
            return out;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == v) {
                out.add(retained.get((int) (start + i - firstRetained)));
            }
        }
        if (v == testing && current != null) {
            out.add(current);
        }
        return out;
    }

    @Override
    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) >= 0) {
                out.add(retained.get((int) (start + i - firstRetained)));
            }
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }
}
