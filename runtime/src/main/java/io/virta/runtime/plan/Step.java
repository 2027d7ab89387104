package io.virta.runtime.plan;

import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.window.WindowSpec;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One step of a {@link QueryPlan}. Stateless steps ({@link Filter}, {@link Project}, {@link Rekey})
 * map one row to zero or one row and can run wherever the row is; the stateful {@link Aggregate}
 * runs per key, so the rows it sees must be keyed by its GROUP BY: a {@link Rekey} before it says
 * "re-key here" and is where the cluster routes rows to another key's actor.
 */
public sealed interface Step {

    /**
     * @return a one-line description, e.g. {@code FILTER (amount > 1000)}
     */
    String describe();

    /**
     * Keeps the rows where the predicate is TRUE (not FALSE, not NULL).
     *
     * @param sql the predicate, canonical SQL
     * @param predicate the compiled predicate
     */
    record Filter(String sql, Predicate<Row> predicate) implements Step {
        @Override
        public String describe() {
            return "FILTER " + sql;
        }
    }

    /**
     * Computes the select list.
     *
     * @param columns the output column names
     * @param projection the compiled projection; keeps key and event time
     */
    record Project(List<String> columns, UnaryOperator<Row> projection) implements Step {
        /** Copies the names. */
        public Project {
            columns = List.copyOf(columns);
        }

        @Override
        public String describe() {
            return "PROJECT " + columns;
        }
    }

    /**
     * Re-key here: the rows change key, so they move to another key's partition or actor.
     *
     * @param keySql the new key's expressions, canonical SQL; empty for the single global key of an
     *     aggregation without GROUP BY
     * @param key computes the new key text of a row
     */
    record Rekey(List<String> keySql, Function<Row, String> key) implements Step {
        /** Copies the list. */
        public Rekey {
            keySql = List.copyOf(keySql);
        }

        @Override
        public String describe() {
            return "REKEY " + (keySql.isEmpty() ? "<global>" : keySql);
        }
    }

    /**
     * Keyed, stateful aggregation, windowed or not.
     *
     * @param keySql the GROUP BY expressions, canonical SQL
     * @param window the window spec, or null
     * @param emitFinal EMIT FINAL (else EMIT CHANGES)
     * @param aggregates the aggregate calls, canonical SQL, in slot order
     * @param operator the pure operator to host per key
     */
    record Aggregate(
            List<String> keySql,
            WindowSpec window,
            boolean emitFinal,
            List<String> aggregates,
            KeyedOperator<AggregateState> operator)
            implements Step {
        /** Copies the lists. */
        public Aggregate {
            keySql = List.copyOf(keySql);
            aggregates = List.copyOf(aggregates);
        }

        @Override
        public String describe() {
            return "AGGREGATE BY "
                    + keySql
                    + (window == null ? "" : " WINDOW " + window)
                    + (emitFinal ? " EMIT FINAL " : " EMIT CHANGES ")
                    + aggregates;
        }
    }
}
