package io.virta.actors.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.internal.InputReader;
import io.virta.actors.internal.KeyJournalReads;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.PipelineRows;
import io.virta.actors.internal.PipelineRows.Input;
import io.virta.actors.internal.PullQuery;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.plan.QueryPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads tables: the latest row of a key of a table made by {@code CREATE TABLE ... AS SELECT ...
 * GROUP BY}, or the row as it was at an event time, rebuilt from the key's input history. Obtain it
 * from {@link EventStore#tables()}.
 *
 * <pre>{@code
 * store.tables().row("account_balances", "acct123", Instant.parse("2024-05-01T00:00:00Z"))
 *     .thenAccept(row -> row.ifPresent(System.out::println));
 * }</pre>
 */
public final class Tables {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineRegistry registry;
    private final InputReader reader;
    private final KeyJournalReads journals;

    Tables(PipelineRegistry registry, InputReader reader, KeyJournalReads journals) {
        this.registry = registry;
        this.reader = reader;
        this.journals = journals;
    }

    /**
     * The answer to a query that reads one key of a table, {@code SELECT ... FROM <table> WHERE
     * <key column> = '<key>' [AND ...]}: its filter and projection applied to the key's row, the
     * latest or as of {@code asOf} as {@link #row} reads it.
     *
     * @throws io.virta.runtime.sql.SqlException (thrown, not in the stage) on a syntax or planning
     *     error, or a query that is not of that shape, at its position
     */
    public CompletionStage<QueryAnswer> query(String sql, Optional<Instant> asOf) {
        PullQuery query = PullQuery.plan(sql, registry.catalog(), this::isAggregateTable);
        return row(query.table(), query.key(), asOf)
                .thenApply(
                        row ->
                                new QueryAnswer(
                                        query.table(),
                                        query.key(),
                                        row.flatMap(
                                                r ->
                                                        query.answer(
                                                                r,
                                                                asOf.map(Instant::toEpochMilli)
                                                                        .orElse(0L)))));
    }

    private boolean isAggregateTable(String name) {
        return registry.get(name)
                .map(r -> r.plan() != null && r.plan().aggregate().isPresent())
                .orElse(false);
    }

    /**
     * The row of {@code key} in {@code table}: with {@code asOf} empty, the latest one the table
     * stored; with {@code asOf}, the one that results from the key's input events with an event
     * time at or before it, in the order they were stored. Empty when there is no such row.
     *
     * <p>For a table grouped by another column than its input's key, {@code asOf} rebuilds the row
     * from the rows its group aggregated.
     *
     * @throws IllegalArgumentException (in the stage) when {@code table} is not a table of an
     *     aggregate
     */
    public CompletionStage<Optional<ObjectNode>> row(
            String table, String key, Optional<Instant> asOf) {
        PipelineRegistry.Running running = registry.get(table).orElse(null);
        if (running == null || running.plan() == null || running.plan().aggregate().isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "'"
                                    + table
                                    + "' is not a table made by an aggregate (CREATE TABLE ... GROUP BY)"));
        }
        if (asOf.isEmpty()) {
            return reader.read(table, key, 1, Integer.MAX_VALUE)
                    .thenApply(
                            rows ->
                                    rows.isEmpty()
                                            ? Optional.empty()
                                            : Optional.of(
                                                    PipelineRows.parse(
                                                            rows.get(rows.size() - 1).payload())));
        }
        QueryPlan plan = running.plan();
        long until = asOf.get().toEpochMilli();
        if (plan.rekeys()) {
            return journals.groupRows(table, key)
                    .thenApply(rows -> rebuildGroup(plan, key, rows, until));
        }
        return reader.read(running.definition().source(), key, 1, Integer.MAX_VALUE)
                .thenApply(inputs -> rebuild(plan, key, inputs, until));
    }

    /**
     * Aggregates the rows a group received with event time at or before {@code until}; the last row
     * it emits.
     */
    private static Optional<ObjectNode> rebuildGroup(
            QueryPlan plan, String key, List<PipelineRows.Output> received, long until) {
        KeyedOperator<Object> operator = PipelineRows.operator(plan);
        Object state = operator.initialState();
        List<Row> rows = new ArrayList<>();
        for (PipelineRows.Output row : received) {
            if (row.eventTimeMillis() <= until) {
                Transition<Object> t =
                        operator.onRecord(
                                state,
                                Row.of(
                                        key,
                                        row.eventTimeMillis(),
                                        PipelineRows.parse(row.payload())),
                                Long.MIN_VALUE);
                state = t.state();
                rows.addAll(t.outputs());
            }
        }
        return last(rows);
    }

    private static Optional<ObjectNode> last(List<Row> rows) {
        return rows.isEmpty() || rows.get(rows.size() - 1).tombstone()
                ? Optional.empty()
                : Optional.of(rows.get(rows.size() - 1).value());
    }

    /**
     * Runs the plan over the inputs with event time at or before {@code until}; the last row it
     * emits.
     */
    private static Optional<ObjectNode> rebuild(
            QueryPlan plan, String key, List<Input> inputs, long until) {
        List<Input> upToThen = inputs.stream().filter(i -> i.eventTimeMillis() <= until).toList();
        List<Row> rows =
                PipelineRows.run(
                                plan,
                                PipelineRows.operator(plan),
                                null,
                                key,
                                upToThen,
                                Long.MIN_VALUE,
                                Long.MIN_VALUE)
                        .rows();
        return last(rows);
    }
}
