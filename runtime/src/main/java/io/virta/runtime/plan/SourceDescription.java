package io.virta.runtime.plan;

import io.virta.runtime.sql.ast.Statement.SourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog knows about a stream, table or event store: its columns, key, event-time column
 * and event-time policy.
 *
 * @param name the name as declared
 * @param kind STREAM, TABLE or EVENT_STORE
 * @param columns declared (or, for query results, derived) columns in order
 * @param keyColumns names of the key columns, in key order; empty when unkeyed
 * @param timestampColumn the column holding event time, or null (event time then comes with the
 *     record)
 * @param outOfOrderness allowed out-of-orderness: watermark = max event time minus this
 * @param idleTimeout processing time of silence after which the stream's watermark advances on its
 *     own; zero disables
 * @param partitions how many partitions the stream has (the watermark is their minimum)
 * @param properties the WITH properties as written, keys upper case
 */
public record SourceDescription(
        String name,
        SourceKind kind,
        List<Column> columns,
        List<String> keyColumns,
        String timestampColumn,
        Duration outOfOrderness,
        Duration idleTimeout,
        int partitions,
        Map<String, String> properties) {

    /**
     * @throws IllegalArgumentException when a key or timestamp column is not a column, or a
     *     duration is negative, or partitions &lt; 1
     */
    public SourceDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        properties = Map.copyOf(properties);
        if (outOfOrderness.isNegative() || idleTimeout.isNegative() || partitions < 1) {
            throw new IllegalArgumentException("bad event-time policy for " + name);
        }
        for (String k : keyColumns) {
            if (find(columns, k).isEmpty()) {
                throw new IllegalArgumentException("key column " + k + " is not a column");
            }
        }
        if (timestampColumn != null && find(columns, timestampColumn).isEmpty()) {
            throw new IllegalArgumentException(
                    "timestamp column " + timestampColumn + " is not a column");
        }
    }

    /**
     * Finds a column: exact spelling first, then ignoring case.
     *
     * @param name the name as written
     * @return the column, if any
     */
    public Optional<Column> column(String name) {
        return find(columns, name);
    }

    private static Optional<Column> find(List<Column> columns, String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }
}
