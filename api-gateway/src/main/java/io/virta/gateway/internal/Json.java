package io.virta.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
