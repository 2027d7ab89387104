package io.virta.runtime.cep;

import io.virta.runtime.operator.Row;
import java.util.List;
import java.util.Optional;

/** The rows of a (partial or complete) match, by pattern variable. */
public interface MatchContext {

    /**
     * @param variable a pattern variable
     * @return the rows bound to it, in event-time order; empty when none
     */
    List<Row> rows(String variable);

    /**
     * @return every row of the match, in order (rows skipped by relaxed contiguity excluded)
     */
    List<Row> rows();

    /**
     * @param variable a pattern variable
     * @return its first row, if any ({@code FIRST(var.col)} in SQL)
     */
    default Optional<Row> first(String variable) {
        List<Row> rs = rows(variable);
        return rs.isEmpty() ? Optional.empty() : Optional.of(rs.get(0));
    }

    /**
     * @param variable a pattern variable
     * @return its last row, if any ({@code LAST(var.col)} or {@code var.col} in SQL)
     */
    default Optional<Row> last(String variable) {
        List<Row> rs = rows(variable);
        return rs.isEmpty() ? Optional.empty() : Optional.of(rs.get(rs.size() - 1));
    }
}
