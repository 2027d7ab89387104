package io.virta.runtime.plan;

import io.virta.runtime.join.JoinType;
import io.virta.runtime.join.JoinWindow;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.window.WindowSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One step of a {@link QueryPlan}. Stateless steps ({@link Filter}, {@link Project}, {@link Rekey})
 * map one row to zero or one row and can run wherever the row is; the stateful steps ({@link
 * Keyed}: {@link Aggregate}, {@link Match}) run per key, so the rows they see must be keyed by
 * their GROUP BY or PARTITION BY: a {@link Rekey} before them says "re-key here" and is where the
 * cluster routes rows to another key's actor.
 */
public sealed interface Step {

    /**
     * A keyed, stateful step, one or two inputs: its per-key state is an immutable,
     * Jackson-serializable value of {@link #stateClass()} that the host keeps and persists.
     */
    sealed interface Stateful extends Step {
        /**
         * @return the key's expressions, canonical SQL; empty for the single global key
         */
        List<String> keySql();

        /**
         * @return the class of the per-key state, for (de)serializing it
         */
        Class<?> stateClass();
    }

    /** A one-input keyed stateful step: an aggregate or a pattern match. */
    sealed interface Keyed extends Stateful {
        /**
         * @return the pure operator to host per key; its state type is {@link #stateClass()}
         */
        KeyedOperator<?> operator();
    }

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
            implements Keyed {
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

        @Override
        public Class<?> stateClass() {
            return AggregateState.class;
        }
    }

    /**
     * Keyed row pattern recognition ({@code MATCH_RECOGNIZE}): one output row per match.
     *
     * @param keySql the PARTITION BY expressions, canonical SQL; empty for one global partition
     * @param pattern the PATTERN as written, e.g. {@code (A B+ C)}
     * @param within the WITHIN interval, or null
     * @param measures the output columns: select items, then MEASURES
     * @param operator the pure operator to host per key
     */
    record Match(
            List<String> keySql,
            String pattern,
            Duration within,
            List<String> measures,
            KeyedOperator<CepState> operator)
            implements Keyed {
        /** Copies the lists. */
        public Match {
            keySql = List.copyOf(keySql);
            measures = List.copyOf(measures);
        }

        @Override
        public String describe() {
            return "MATCH_RECOGNIZE BY "
                    + keySql
                    + " PATTERN "
                    + pattern
                    + (within == null ? "" : " WITHIN " + within)
                    + " "
                    + measures;
        }

        @Override
        public Class<?> stateClass() {
            return CepState.class;
        }
    }

    /**
     * One input of a {@link Join}.
     *
     * @param source the source relation
     * @param alias its alias, or null
     * @param keyColumn the column of this side in the ON equality: the join key
     * @param rekey whether this side's rows must be re-keyed by {@code keyColumn} first (it is not
     *     the source's key), so the cluster routes them to the join key's actor
     * @param key computes the join key text of a row of this side
     */
    record JoinInput(
            SourceDescription source,
            String alias,
            String keyColumn,
            boolean rekey,
            Function<Row, String> key) {}

    /**
     * A keyed join of two inputs: a stream-stream interval join ({@code window} set) or a
     * stream-table join (the right input is a TABLE, {@code window} null). Rows of either input are
     * keyed by their join column and handed to the operator with their {@link
     * io.virta.runtime.operator.JoinSide}; the output rows are the select list's payloads.
     *
     * @param type INNER, LEFT or FULL
     * @param left the first relation
     * @param right the second relation
     * @param window the interval join's bounds, or null for a stream-table join
     * @param columns the output column names
     * @param operator the pure two-input operator to host per join key
     * @param stateClass the class of its per-key state
     */
    record Join(
            JoinType type,
            JoinInput left,
            JoinInput right,
            JoinWindow window,
            List<String> columns,
            KeyedJoinOperator<?> operator,
            Class<?> stateClass)
            implements Stateful {
        /** Copies the list. */
        public Join {
            columns = List.copyOf(columns);
        }

        /**
         * @return whether the right input is a table (a stream-table join)
         */
        public boolean streamTable() {
            return window == null;
        }

        @Override
        public List<String> keySql() {
            return List.of(left.keyColumn().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public String describe() {
            return type
                    + " JOIN "
                    + left.source().name()
                    + "."
                    + left.keyColumn()
                    + (left.rekey() ? " (rekey)" : "")
                    + " = "
                    + right.source().name()
                    + "."
                    + right.keyColumn()
                    + (right.rekey() ? " (rekey)" : "")
                    + (window == null ? " (table)" : " " + window)
                    + " "
                    + columns;
        }
    }
}
