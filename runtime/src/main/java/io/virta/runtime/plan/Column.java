package io.virta.runtime.plan;

import io.virta.runtime.types.SqlType;
import java.util.Objects;

/**
 * A column of a stream, table or event store.
 *
 * @param name the name as declared; also the JSON field name in payloads
 * @param type the SQL type
 * @param key whether the column is (part of) the key
 */
public record Column(String name, SqlType type, boolean key) {
    /** Checks name and type are present. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
