package io.virta.runtime.stream;

import com.fasterxml.jackson.core.JsonPointer;
import io.virta.runtime.plan.Column;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a stream declares about its events: the JSON pointer of the key, optionally of the event
 * time and of a client-given event id.
 *
 * <p>Definitions are immutable values. Two definitions are equal when every field is equal;
 * re-declaring a stream with an equal definition is a no-op, with a different one a conflict.
 *
 * <pre>{@code
 * StreamDefinition purchases = StreamDefinition.of("purchases", "/customer_id")
 *     .withTimestampField("/purchased_at")
 *     .withIdField("/order_id");
 * }</pre>
 */
public final class StreamDefinition {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");

    private final String name;
    private final String keyField;
    private final String timestampField;
    private final String idField;
    private final List<Column> columns;

    private StreamDefinition(
            String name,
            String keyField,
            String timestampField,
            String idField,
            List<Column> columns) {
        this.name = validName(name);
        this.keyField = validPointer("key", keyField);
        this.timestampField =
                timestampField == null ? null : validPointer("timestamp", timestampField);
        this.idField = idField == null ? null : validPointer("id", idField);
        this.columns = List.copyOf(columns);
    }

    /**
     * A stream keyed by the value at {@code keyField}, with arrival time as event time and
     * server-assigned ids.
     *
     * @param name 1 to 128 characters: a letter, then letters, digits, {@code _} or {@code -}
     * @param keyField a JSON pointer such as {@code /user_id} or {@code /customer/id}
     * @throws IllegalArgumentException when the name or the pointer is invalid; the message says
     *     which and why
     */
    public static StreamDefinition of(String name, String keyField) {
        return new StreamDefinition(name, keyField, null, null, List.of());
    }

    /**
     * Builds a definition with every field at once; {@code null} means absent for the optional
     * fields.
     *
     * @throws IllegalArgumentException when a name or pointer is invalid
     */
    public static StreamDefinition of(
            String name, String keyField, String timestampField, String idField) {
        return new StreamDefinition(name, keyField, timestampField, idField, List.of());
    }

    /**
     * A copy whose event time is read from {@code pointer} (ISO-8601 text or epoch milliseconds).
     */
    public StreamDefinition withTimestampField(String pointer) {
        return new StreamDefinition(
                name, keyField, Objects.requireNonNull(pointer), idField, columns);
    }

    /**
     * A copy whose event ids are read from {@code pointer}; events without one get an assigned id.
     */
    public StreamDefinition withIdField(String pointer) {
        return new StreamDefinition(
                name, keyField, timestampField, Objects.requireNonNull(pointer), columns);
    }

    /**
     * A copy that declares {@code columns} (a stream declared in SQL): a posted event whose value
     * at a declared column cannot be read as the column's type is refused. Undeclared fields are
     * kept as they are.
     */
    public StreamDefinition withColumns(List<Column> columns) {
        return new StreamDefinition(name, keyField, timestampField, idField, columns);
    }

    /** The declared columns; empty for a stream defined without a schema. */
    public List<Column> columns() {
        return columns;
    }

    /** True when {@code name} is a valid stream name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public String name() {
        return name;
    }

    /** The JSON pointer of the key. */
    public String keyField() {
        return keyField;
    }

    /**
     * The JSON pointer of the event time; empty when events are stamped with their arrival time.
     */
    public Optional<String> timestampField() {
        return Optional.ofNullable(timestampField);
    }

    /** The JSON pointer of a client-given event id; empty when every event gets an assigned id. */
    public Optional<String> idField() {
        return Optional.ofNullable(idField);
    }

    private static String validName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException(
                    "stream name '"
                            + name
                            + "' is invalid: use 1 to 128 characters, a letter first, then letters,"
                            + " digits, '_' or '-'");
        }
        return name;
    }

    private static String validPointer(String what, String pointer) {
        if (pointer == null || pointer.isEmpty() || !pointer.startsWith("/")) {
            throw new IllegalArgumentException(
                    what
                            + " field '"
                            + pointer
                            + "' is not a JSON pointer to a field: it must start with '/', e.g. '/user_id'");
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    what
                            + " field '"
                            + pointer
                            + "' is not a valid JSON pointer: "
                            + e.getMessage(),
                    e);
        }
        return pointer;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamDefinition that
                && name.equals(that.name)
                && keyField.equals(that.keyField)
                && Objects.equals(timestampField, that.timestampField)
                && Objects.equals(idField, that.idField)
                && columns.equals(that.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyField, timestampField, idField, columns);
    }

    @Override
    public String toString() {
        return "StreamDefinition[name="
                + name
                + ", key="
                + keyField
                + ", timestamp="
                + timestampField
                + ", id="
                + idField
                + "]";
    }
}
