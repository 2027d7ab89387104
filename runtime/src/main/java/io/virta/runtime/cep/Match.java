package io.virta.runtime.cep;

import io.virta.runtime.operator.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete match: its rows in order and the variable each row is bound to.
 *
 * @param key the key (SQL: the partition) the match was found in
 * @param rows the matched rows, in event-time order
 * @param variables for each row, the pattern variable it is bound to
 */
public record Match(String key, List<Row> rows, List<String> variables) implements MatchContext {

    /**
     * @throws IllegalArgumentException when the lists differ in length or are empty
     */
    public Match {
        rows = List.copyOf(rows);
        variables = List.copyOf(variables);
        if (rows.size() != variables.size() || rows.isEmpty()) {
            throw new IllegalArgumentException("one variable per row, at least one row");
        }
        Objects.requireNonNull(key, "key");
    }

    @Override
    public List<Row> rows(String variable) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (variables.get(i).equals(variable)) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    /**
     * @return the first row of the match
     */
    public Row firstRow() {
        return rows.get(0);
    }

    /**
     * @return the last row of the match; its event time is the event time of the match's output
     */
    public Row lastRow() {
        return rows.get(rows.size() - 1);
    }
}
