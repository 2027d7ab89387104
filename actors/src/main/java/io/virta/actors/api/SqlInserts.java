package io.virta.actors.api;

import io.virta.actors.internal.PipelineRegistry;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.sql.SqlException;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.stream.KeyedEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code INSERT INTO stream VALUES (...)} of a SQL script: the row evaluated against the catalog
 * (with {@code NOW()} the time of the statement) and appended to its key like a posted event, with
 * a new id.
 */
final class SqlInserts {
    /** Appends one event to a stream. */
    @FunctionalInterface
    interface Appender {
        CompletionStage<List<AppendResult>> append(
                String stream, String key, List<KeyedEvent> events, long arrivalMillis);
    }

    private final PipelineRegistry registry;
    private final Appender appender;

    SqlInserts(PipelineRegistry registry, Appender appender) {
        this.registry = registry;
        this.appender = appender;
    }

    /** The statement when {@code text} is an INSERT ... VALUES; empty otherwise (or unparsable). */
    static Optional<Statement.InsertValues> insert(String text) {
        try {
            return SqlParser.parse(text) instanceof Statement.InsertValues insert
                    ? Optional.of(insert)
                    : Optional.empty();
        } catch (SqlException e) {
            return Optional.empty();
        }
    }

    /** Evaluates and appends {@code insert}; the stage fails only when the store does. */
    CompletionStage<StatementResult> run(String text, Statement.InsertValues insert) {
        long now = System.currentTimeMillis();
        Row row;
        String stream;
        try {
            stream =
                    registry.catalog()
                            .find(insert.target())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "unknown stream '"
                                                            + insert.target()
                                                            + "': declare it with CREATE STREAM"
                                                            + " or CREATE EVENT_STORE first"))
                            .name();
            row = Planner.insertValues(insert, registry.catalog(), now);
        } catch (SqlException e) {
            return CompletableFuture.completedFuture(
                    failed(text, stream(insert), e.reason(), e.line(), e.column()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    failed(text, stream(insert), e.getMessage(), 0, 0));
        }
        Optional<ConnectorSpec> feeder = Connectors.topicHistory(registry, stream);
        if (feeder.isPresent()) {
            return CompletableFuture.completedFuture(
                    failed(text, stream, Connectors.fedFromTopic(stream, feeder.get()), 0, 0));
        }
        if (row.key() == null || row.key().isEmpty()) {
            return CompletableFuture.completedFuture(
                    failed(text, stream, "the row has no value for the stream's key", 0, 0));
        }
        KeyedEvent event =
                new KeyedEvent(
                        row.key(),
                        UUID.randomUUID().toString(),
                        true,
                        row.eventTime(),
                        row.value());
        return appender.append(stream, row.key(), List.of(event), now)
                .thenApply(
                        acks ->
                                new StatementResult(
                                        text,
                                        "INSERTED",
                                        "INSERT",
                                        stream,
                                        "stored as event "
                                                + acks.get(0).seq()
                                                + " of key '"
                                                + row.key()
                                                + "'",
                                        0,
                                        0));
    }

    private static String stream(Statement.InsertValues insert) {
        return insert.target();
    }

    private static StatementResult failed(
            String text, String stream, String why, int line, int column) {
        return new StatementResult(text, "FAILED", "INSERT", stream, why, line, column);
    }
}
