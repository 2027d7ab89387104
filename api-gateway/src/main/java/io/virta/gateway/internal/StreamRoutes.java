package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.api.Connectors;
import io.virta.actors.api.DefineOutcome;
import io.virta.actors.api.EventStore;
import io.virta.runtime.stream.StreamDefinition;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code PUT /v1/streams/{stream}}, {@code GET /v1/streams} and {@code GET
 * /v1/streams/{stream}}.
 *
 * <p>A definition body is {@code {"key": "/pointer", "timestamp": "/pointer", "id": "/pointer"}};
 * only {@code key} is required. Creating answers 201, an identical definition 200, a different one
 * 409; nothing changes unless 201.
 */
final class StreamRoutes {
    private static final Set<String> FIELDS = Set.of("key", "timestamp", "id");

    private final EventStore store;

    StreamRoutes(EventStore store) {
        this.store = store;
    }

    CompletionStage<HttpResponse> define(String stream, byte[] body) {
        StreamDefinition definition = parseDefinition(stream, body);
        return store.define(definition)
                .thenApply(
                        outcome -> {
                            if (outcome.status() == DefineOutcome.Status.CONFLICT) {
                                throw ApiError.of(
                                        StatusCodes.CONFLICT,
                                        "stream_conflict",
                                        "stream '"
                                                + stream
                                                + "' exists with a different definition: "
                                                + toJson(outcome.definition()));
                            }
                            StatusCode status =
                                    outcome.status() == DefineOutcome.Status.CREATED
                                            ? StatusCodes.CREATED
                                            : StatusCodes.OK;
                            return Json.response(status, toJson(outcome.definition()));
                        });
    }

    CompletionStage<HttpResponse> describe(String stream) {
        return store.describe(stream)
                .thenApply(
                        found ->
                                Json.response(
                                        StatusCodes.OK,
                                        toJson(found.orElseThrow(() -> unknownStream(stream)))));
    }

    CompletionStage<HttpResponse> list() {
        return store.list()
                .thenApply(
                        definitions -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            ArrayNode streams = body.putArray("streams");
                            definitions.forEach(d -> streams.add(toJson(d)));
                            return Json.response(StatusCodes.OK, body);
                        });
    }

    /**
     * The stream's definition, or a 404 when there is none, or a 409 when a source or sink
     * connector keeps its history in a topic: Virta stores none of its events, so appending,
     * replaying and subscribing through Virta would be lost or see nothing.
     */
    static StreamDefinition storedInVirta(
            EventStore store, String stream, Optional<StreamDefinition> found) {
        StreamDefinition definition = found.orElseThrow(() -> unknownStream(stream));
        Optional<ConnectorSpec> keeper = store.connectors().topicHistory(stream);
        if (keeper.isPresent()) {
            throw ApiError.of(
                            StatusCodes.CONFLICT,
                            "stream_history_in_topic",
                            Connectors.fedFromTopic(stream, keeper.get()))
                    .at("parameter", "stream");
        }
        return definition;
    }

    static ApiError unknownStream(String stream) {
        return ApiError.of(
                        StatusCodes.NOT_FOUND,
                        "unknown_stream",
                        "stream '"
                                + stream
                                + "' does not exist: create it with PUT /v1/streams/"
                                + stream)
                .at("parameter", "stream");
    }

    static ObjectNode toJson(StreamDefinition definition) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", definition.name());
        json.put("key", definition.keyField());
        definition.timestampField().ifPresent(t -> json.put("timestamp", t));
        definition.idField().ifPresent(i -> json.put("id", i));
        return json;
    }

    private static StreamDefinition parseDefinition(String stream, byte[] body) {
        if (!StreamDefinition.isValidName(stream)) {
            throw ApiError.badRequest(
                            "invalid_stream_name",
                            "stream name '"
                                    + stream
                                    + "' is invalid: use 1 to 128 characters, a letter"
                                    + " first, then letters, digits, '_' or '-'")
                    .at("parameter", "stream");
        }
        JsonNode json = readObject(body);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badRequest(
                                "invalid_stream_definition",
                                "unknown field '"
                                        + name
                                        + "': a definition has 'key', 'timestamp' and 'id'")
                        .at("field", "/" + name);
            }
        }
        String key = textField(json, "key", true);
        try {
            return StreamDefinition.of(
                    stream, key, textField(json, "timestamp", false), textField(json, "id", false));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_stream_definition", e.getMessage());
        }
    }

    private static JsonNode readObject(byte[] body) {
        return Json.readObject(
                body,
                ApiError.badRequest(
                        "invalid_stream_definition",
                        "the body must be a JSON object such as {\"key\": \"/user_id\"}"));
    }

    private static String textField(JsonNode json, String name, boolean required) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badRequest(
                                "invalid_stream_definition",
                                "'"
                                        + name
                                        + "' is required: the JSON pointer of the key, e.g. \"/user_id\"")
                        .at("field", "/" + name);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(
                            "invalid_stream_definition",
                            "'" + name + "' must be a JSON pointer string such as \"/user_id\"")
                    .at("field", "/" + name);
        }
        return value.asText();
    }
}
