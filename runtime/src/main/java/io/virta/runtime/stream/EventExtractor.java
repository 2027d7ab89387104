package io.virta.runtime.stream;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.plan.Column;
import io.virta.runtime.time.IsoInstants;
import io.virta.runtime.types.SqlValues;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * Turns a raw JSON event into a {@link KeyedEvent} following its stream's {@link StreamDefinition}.
 *
 * <p>Rules, in the order they are checked:
 *
 * <ul>
 *   <li>the event is a JSON object;
 *   <li>for a stream declared with columns, each declared column present reads as its SQL type;
 *   <li>the key is a non-empty string, a number or a boolean, at most {@value #MAX_KEY_LENGTH}
 *       characters;
 *   <li>when the stream declares a timestamp field, the event has one: ISO-8601 text (an instant, a
 *       date-time with offset, or a local date-time read as UTC) or an integer of epoch
 *       milliseconds; otherwise the event time is the arrival time;
 *   <li>when the stream declares an id field and the event has a non-null value there, it is a
 *       non-empty string or an integer, at most {@value #MAX_ID_LENGTH} characters; otherwise an id
 *       is assigned.
 * </ul>
 *
 * Pure: the arrival time and the id supplier come from the caller.
 */
public final class EventExtractor {
    /** Longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 1024;

    /** Longest event id accepted, in characters. */
    public static final int MAX_ID_LENGTH = 256;

    private final StreamDefinition definition;
    private final JsonPointer keyPointer;
    private final JsonPointer timestampPointer;
    private final JsonPointer idPointer;

    /** An extractor for events of {@code definition}. */
    public EventExtractor(StreamDefinition definition) {
        this.definition = definition;
        this.keyPointer = JsonPointer.compile(definition.keyField());
        this.timestampPointer = definition.timestampField().map(JsonPointer::compile).orElse(null);
        this.idPointer = definition.idField().map(JsonPointer::compile).orElse(null);
    }

    /**
     * Extracts key, id and event time from {@code event}.
     *
     * @param event one posted event
     * @param arrivalMillis the arrival time, used as event time when the stream declares no
     *     timestamp field
     * @param assignId called once when the event brings no id of its own
     * @throws InvalidEventException when the event breaks a rule above; the exception names the
     *     field
     */
    public KeyedEvent extract(JsonNode event, long arrivalMillis, Supplier<String> assignId) {
        if (!(event instanceof ObjectNode object)) {
            throw new InvalidEventException(
                    "", "an event must be a JSON object, found " + describe(event));
        }
        checkColumns(object);
        String key = key(object);
        long eventTime =
                timestampPointer == null ? arrivalMillis : eventTime(object.at(timestampPointer));
        JsonNode idNode = idPointer == null ? null : object.at(idPointer);
        if (idNode == null || idNode.isMissingNode() || idNode.isNull()) {
            return new KeyedEvent(key, assignId.get(), true, eventTime, object);
        }
        return new KeyedEvent(key, id(idNode), false, eventTime, object);
    }

    private void checkColumns(ObjectNode event) {
        for (Column column : definition.columns()) {
            JsonNode value = event.get(column.name());
            if (!SqlValues.isNull(value)
                    && SqlValues.isNull(SqlValues.coerce(value, column.type()))) {
                throw new InvalidEventException(
                        "/" + column.name(),
                        "column '"
                                + column.name()
                                + "' is "
                                + column.type().sql()
                                + ", which cannot be read from "
                                + value);
            }
        }
    }

    private String key(ObjectNode event) {
        String field = definition.keyField();
        JsonNode node = event.at(keyPointer);
        if (node.isMissingNode() || node.isNull()) {
            throw new InvalidEventException(field, "the event has no key at '" + field + "'");
        }
        if (!(node.isTextual() || node.isNumber() || node.isBoolean())) {
            throw new InvalidEventException(
                    field,
                    "the key at '"
                            + field
                            + "' must be a string, number or boolean, found "
                            + describe(node));
        }
        String key = node.asText();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new InvalidEventException(
                    field,
                    "the key at '"
                            + field
                            + "' must have 1 to "
                            + MAX_KEY_LENGTH
                            + " characters, found "
                            + key.length());
        }
        return key;
    }

    private long eventTime(JsonNode node) {
        String field = definition.timestampField().orElseThrow();
        if (node.isMissingNode() || node.isNull()) {
            throw new InvalidEventException(
                    field, "the event has no event time at '" + field + "'");
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return parseTime(node.asText());
            } catch (DateTimeException e) {
                throw new InvalidEventException(
                        field,
                        "the event time at '"
                                + field
                                + "' is not ISO-8601: '"
                                + node.asText()
                                + "' ("
                                + e.getMessage()
                                + ")");
            }
        }
        throw new InvalidEventException(
                field,
                "the event time at '"
                        + field
                        + "' must be ISO-8601 text or epoch milliseconds, found "
                        + describe(node));
    }

    private String id(JsonNode node) {
        String field = definition.idField().orElseThrow();
        if (!(node.isTextual() || node.isIntegralNumber())) {
            throw new InvalidEventException(
                    field,
                    "the event id at '"
                            + field
                            + "' must be a string or an integer, found "
                            + describe(node));
        }
        String id = node.asText();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException(
                    field,
                    "the event id at '"
                            + field
                            + "' must have 1 to "
                            + MAX_ID_LENGTH
                            + " characters, found "
                            + id.length());
        }
        return id;
    }

    /**
     * Parses ISO-8601 event time: an instant ({@code 2024-05-01T12:00:00Z}), a date-time with
     * offset ({@code ...+02:00}) or a local date-time, read as UTC.
     *
     * @throws DateTimeException when the text is none of these
     */
    public static long parseTime(String text) {
        try {
            return IsoInstants.parseMillis(text);
        } catch (DateTimeException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeException notOffset) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
