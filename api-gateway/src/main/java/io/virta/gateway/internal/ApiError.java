package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.AppendResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: a request the gateway refuses, with what went wrong and where. Rendered as {@code
 * {"error": code, "detail": text, "position": {...}}}; the position is omitted when there is none.
 */
public final class ApiError extends RuntimeException {
    private final StatusCode status;
    private final String code;
    private final Map<String, Object> position;
    private final List<AppendResult> acknowledged;

    private ApiError(
            StatusCode status,
            String code,
            String detail,
            Map<String, Object> position,
            List<AppendResult> acknowledged) {
        super(detail);
        this.status = status;
        this.code = code;
        this.position = Map.copyOf(position);
        this.acknowledged = acknowledged == null ? null : List.copyOf(acknowledged);
    }

    public static ApiError of(StatusCode status, String code, String detail) {
        return new ApiError(status, code, detail, Map.of(), null);
    }

    public static ApiError badRequest(String code, String detail) {
        return of(StatusCodes.BAD_REQUEST, code, detail);
    }

    /** A copy with {@code name: value} added to the position. */
    public ApiError at(String name, Object value) {
        Map<String, Object> next = new LinkedHashMap<>(position);
        next.put(name, value);
        return new ApiError(status, code, getMessage(), next, acknowledged);
    }

    /**
     * A copy that lists {@code durable}: the events of a failed request that were stored
     * nonetheless.
     */
    public ApiError withAcknowledged(List<AppendResult> durable) {
        return new ApiError(status, code, getMessage(), position, durable);
    }

    public StatusCode status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The error as its JSON body. */
    public ObjectNode toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", code);
        body.put("detail", getMessage());
        if (!position.isEmpty()) {
            ObjectNode where = body.putObject("position");
            // Fixed order so clients and tests read positions alike.
            for (String name : new String[] {"index", "line", "column", "field", "parameter"}) {
                Object value = position.get(name);
                if (value != null) {
                    where.putPOJO(name, value);
                }
            }
        }
        if (acknowledged != null) {
            ArrayNode list = body.putArray("acknowledged");
            for (AppendResult r : acknowledged) {
                list.addObject()
                        .put("id", r.id())
                        .put("key", r.key())
                        .put("seq", r.seq())
                        .put("duplicate", r.duplicate());
            }
        }
        return body;
    }
}
