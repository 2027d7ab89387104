package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/** INTERNAL API: the gateway's one JSON mapper and JSON responses. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A response with {@code body} as JSON. */
    public static HttpResponse response(StatusCode status, JsonNode body) {
        return bytes(status, write(body));
    }

    /** A response whose body is already JSON bytes. */
    public static HttpResponse bytes(StatusCode status, byte[] json) {
        return HttpResponse.create()
                .withStatus(status)
                .withEntity(ContentTypes.APPLICATION_JSON, json);
    }

    /**
     * Reads {@code body} as one JSON object.
     *
     * @param error the error to raise when the body is well-formed JSON but not an object
     * @throws ApiError 400 {@code malformed_json} with line and column, or {@code error}
     */
    public static ObjectNode readObject(byte[] body, ApiError error) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json instanceof ObjectNode object) {
                return object;
            }
            throw error;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body failed", e);
        }
    }

    /** The 400 for malformed JSON, at the line and column where the parser stopped. */
    public static ApiError malformed(JsonProcessingException e) {
        ApiError error =
                ApiError.badRequest("malformed_json", "malformed JSON: " + e.getOriginalMessage());
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            error =
                    error.at("line", e.getLocation().getLineNr())
                            .at("column", e.getLocation().getColumnNr());
        }
        return error;
    }

    /** The response for {@code error}. */
    public static HttpResponse error(ApiError error) {
        return response(error.status(), error.toJson());
    }

    private static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
