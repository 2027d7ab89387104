package io.virta.actors.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.internal.InputReader;
import io.virta.actors.internal.PipelineRegistry;
import io.virta.actors.internal.PipelineRows;
import io.virta.actors.internal.PipelineRows.Input;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.Step;
import java.time.Instant;
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

    Tables(PipelineRegistry registry, InputReader reader) {
        this.registry = registry;
        this.reader = reader;
    }

    /**
     * The row of {@code key} in {@code table}: with {@code asOf} empty, the latest one the table
     * stored; with {@code asOf}, the one that results from the key's input events with an event
     * time at or before it, in the order they were stored. Empty when there is no such row.
     *
     * @throws IllegalArgumentException (in the future) when {@code table} is not a table of an
     *     aggregate, or when {@code asOf} is asked of a table grouped by another column than its
     *     input's key
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
        if (plan.rekeys()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "asOf rebuilds a row from its key's input, so the table must be grouped by its"
                                    + " input's key; '"
                                    + table
                                    + "' is grouped by another column"));
        }
        long until = asOf.get().toEpochMilli();
        return reader.read(running.definition().source(), key, 1, Integer.MAX_VALUE)
                .thenApply(inputs -> rebuild(plan, key, inputs, until));
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
                                plan.aggregate().map(Step.Aggregate::operator).orElseThrow(),
                                null,
                                key,
                                upToThen,
                                Long.MIN_VALUE,
                                Long.MIN_VALUE)
                        .rows();
        return rows.isEmpty() || rows.get(rows.size() - 1).tombstone()
                ? Optional.empty()
                : Optional.of(rows.get(rows.size() - 1).value());
    }
}
