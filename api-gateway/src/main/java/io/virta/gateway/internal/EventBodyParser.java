package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: reads the events of a request body, each with where it starts, so that an error
 * about one event can say which.
 *
 * <p>A JSON body is one object (one event) or an array of objects. An NDJSON body is a sequence of
 * objects, one a line. Malformed JSON is reported with the line and column Jackson stopped at; a
 * non-object event with its index, line and column. Nothing is returned unless the whole body is
 * well-formed.
 */
public final class EventBodyParser {
    private EventBodyParser() {}

    /**
     * One event of a body: its position (0-based index, 1-based line and column) and the JSON
     * itself.
     */
    public record PositionedEvent(int index, int line, int column, JsonNode json) {
        /** {@code error} located at this event. */
        public ApiError locate(ApiError error) {
            return error.at("index", index).at("line", line).at("column", column);
        }
    }

    /**
     * Parses {@code body}.
     *
     * @param ndjson true for {@code application/x-ndjson}, false for {@code application/json}
     * @throws ApiError 400 {@code malformed_json} or {@code invalid_event}, with the position
     */
    public static List<PositionedEvent> parse(byte[] body, boolean ndjson) {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            List<PositionedEvent> events = ndjson ? readSequence(parser) : readDocument(parser);
            if (events.isEmpty()) {
                throw ApiError.badRequest(
                        "invalid_body",
                        "the body holds no event: post a JSON object, an array of objects or NDJSON");
            }
            return events;
        } catch (JsonProcessingException e) {
            throw Json.malformed(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory body failed", e);
        }
    }

    private static List<PositionedEvent> readDocument(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        List<PositionedEvent> events = new ArrayList<>();
        if (first == null) {
            return events;
        }
        if (first == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                events.add(readEvent(parser, events.size()));
            }
        } else {
            events.add(readEvent(parser, 0));
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            JsonLocation where = parser.currentTokenLocation();
            throw throwAt(
                    ApiError.badRequest(
                            "malformed_json",
                            "unexpected content after the JSON value: post one object or one array,"
                                    + " or use Content-Type application/x-ndjson for one object a line"),
                    where);
        }
        return events;
    }

    private static List<PositionedEvent> readSequence(JsonParser parser) throws IOException {
        List<PositionedEvent> events = new ArrayList<>();
        while (parser.nextToken() != null) {
            events.add(readEvent(parser, events.size()));
        }
        return events;
    }

    /** Reads the value at the parser's current token as event {@code index}. */
    private static PositionedEvent readEvent(JsonParser parser, int index) throws IOException {
        JsonLocation start = parser.currentTokenLocation();
        JsonNode json = Json.MAPPER.readTree(parser);
        PositionedEvent event =
                new PositionedEvent(index, start.getLineNr(), start.getColumnNr(), json);
        if (!json.isObject()) {
            throw event.locate(
                    ApiError.badRequest(
                            "invalid_event",
                            "event "
                                    + index
                                    + " is not a JSON object but "
                                    + json.getNodeType()
                                            .name()
                                            .toLowerCase(java.util.Locale.ROOT)));
        }
        return event;
    }

    private static ApiError throwAt(ApiError error, JsonLocation where) {
        if (where != null && where.getLineNr() > 0) {
            return error.at("line", where.getLineNr()).at("column", where.getColumnNr());
        }
        return error;
    }
}
