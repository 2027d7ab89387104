package io.virta.runtime.sql.ast;

import io.virta.runtime.sql.Position;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of the dialect, as written. Names keep their spelling; the catalog resolves them
 * ignoring case.
 */
public sealed interface Statement {

    /**
     * @return where the statement starts
     */
    Position pos();

    /** What a statement creates or drops. */
    enum SourceKind {
        STREAM,
        TABLE,
        EVENT_STORE
    }

    /**
     * {@code CREATE STREAM|TABLE name (columns) [WITH (...)] [PARTITION BY ...]}: declares a
     * source.
     *
     * @param kind STREAM or TABLE
     * @param name the new source's name
     * @param columns declared columns, in order
     * @param properties the WITH properties, keys upper case (e.g. {@code KEY}, {@code TIMESTAMP})
     * @param partitionBy key columns named by {@code PARTITION BY}, possibly empty
     */
    record CreateSource(
            SourceKind kind,
            String name,
            List<ColumnSpec> columns,
            Map<String, Property> properties,
            List<String> partitionBy,
            boolean orReplace,
            boolean ifNotExists,
            Position pos)
            implements Statement {
        /** Copies the collections. */
        public CreateSource {
            columns = List.copyOf(columns);
            properties = Map.copyOf(properties);
            partitionBy = List.copyOf(partitionBy);
        }
    }

    /**
     * {@code CREATE EVENT_STORE name (columns) PARTITION BY key}: an append-only, keyed store.
     *
     * @param partitionBy key columns, possibly empty
     */
    record CreateEventStore(
            String name,
            List<ColumnSpec> columns,
            List<String> partitionBy,
            Map<String, Property> properties,
            boolean ifNotExists,
            Position pos)
            implements Statement {
        /** Copies the collections. */
        public CreateEventStore {
            columns = List.copyOf(columns);
            partitionBy = List.copyOf(partitionBy);
            properties = Map.copyOf(properties);
        }
    }

    /** {@code CREATE STREAM|TABLE name [WITH (...)] AS SELECT ...}: a persistent query. */
    record CreateAsSelect(
            SourceKind kind,
            String name,
            Map<String, Property> properties,
            Query query,
            boolean orReplace,
            boolean ifNotExists,
            Position pos)
            implements Statement {
        /** Copies the properties. */
        public CreateAsSelect {
            properties = Map.copyOf(properties);
            Objects.requireNonNull(query, "query");
        }
    }

    /**
     * {@code INSERT INTO target [(columns)] VALUES (...)}.
     *
     * @param columns explicit column names, or empty for all declared columns in order
     */
    record InsertValues(String target, List<String> columns, List<Expression> values, Position pos)
            implements Statement {
        /** Copies the lists. */
        public InsertValues {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
        }
    }

    /** {@code INSERT INTO target SELECT ...}: a persistent query into an existing stream. */
    record InsertSelect(String target, Query query, Position pos) implements Statement {}

    /** {@code DROP STREAM|TABLE|EVENT_STORE [IF EXISTS] name [DELETE TOPIC]}. */
    record Drop(SourceKind kind, String name, boolean ifExists, boolean deleteTopic, Position pos)
            implements Statement {}

    /** {@code SHOW|LIST STREAMS|TABLES|EVENT_STORES|QUERIES [EXTENDED]}. */
    record Show(String what, boolean extended, Position pos) implements Statement {}

    /** {@code DESCRIBE [EXTENDED] name}. */
    record Describe(String name, boolean extended, Position pos) implements Statement {}

    /**
     * {@code SELECT ... FROM source ...} on its own: a query that answers once (a pull query on a
     * table) rather than a persistent one.
     */
    record Select(Query query, Position pos) implements Statement {}

    /**
     * {@code CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] name WITH ('option' = 'value', ...)}: a
     * bridge between a stream and a topic of an outside system.
     *
     * @param kind SOURCE or SINK
     * @param options the options in the order written, names as written
     */
    record CreateConnector(
            String kind,
            String name,
            Map<String, String> options,
            boolean ifNotExists,
            Position pos)
            implements Statement {
        /** Copies the options, keeping their order. */
        public CreateConnector {
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }
    }

    /** {@code DROP CONNECTOR [IF EXISTS] name}. */
    record DropConnector(String name, boolean ifExists, Position pos) implements Statement {}

    /**
     * A declared column.
     *
     * @param name the column's name, which is also its JSON field name
     * @param type its SQL type
     * @param key whether it was marked {@code KEY} / {@code PRIMARY KEY}
     */
    record ColumnSpec(
            String name, io.virta.runtime.types.SqlType type, boolean key, Position pos) {}

    /**
     * A {@code WITH} property.
     *
     * @param name upper-case name
     * @param value the literal's value: unquoted string text, or a number/boolean as written
     */
    record Property(String name, String value, Position pos) {}
}
