package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.Tables;
import io.virta.runtime.sql.SqlException;
import io.virta.runtime.stream.EventExtractor;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code POST /v1/query}: a query that reads one key of a table, {@code SELECT ...
 * FROM <table> WHERE <key column> = '<key>'}, as {@code text/plain} SQL or JSON {@code {"sql": ...,
 * "asOf": "<ISO-8601>"}}. The answer is {@code {"table", "key", "rows": [...]}} with the row as the
 * table holds it now (or held it at {@code asOf}), or no row; errors in the SQL are 400 with their
 * position.
 */
final class QueryRoutes {
    private final Tables tables;

    QueryRoutes(Tables tables) {
        this.tables = tables;
    }

    CompletionStage<HttpResponse> query(byte[] body, boolean json) {
        String sql;
        Optional<Instant> asOf = Optional.empty();
        if (json) {
            ApiError shape =
                    ApiError.badRequest(
                            "invalid_request",
                            "the body must be {\"sql\": \"SELECT ...\", \"asOf\": \"<ISO-8601>\"}");
            JsonNode request = Json.readObject(body, shape);
            if (!request.path("sql").isTextual()) {
                throw shape;
            }
            sql = request.get("sql").asText();
            if (request.has("asOf")) {
                asOf = Optional.of(asOf(request.get("asOf").asText()));
            }
        } else {
            sql = new String(body, StandardCharsets.UTF_8);
        }
        Optional<Instant> when = asOf;
        try {
            return tables.query(sql.strip().replaceAll(";+$", ""), when)
                    .thenApply(
                            answer -> {
                                ObjectNode reply = Json.MAPPER.createObjectNode();
                                reply.put("table", answer.table());
                                reply.put("key", answer.key());
                                when.ifPresent(t -> reply.put("asOf", t.toString()));
                                var rows = reply.putArray("rows");
                                answer.row().ifPresent(rows::add);
                                return Json.response(StatusCodes.OK, reply);
                            });
        } catch (SqlException e) {
            throw ApiError.badRequest("invalid_sql", e.getMessage())
                    .at("line", e.line())
                    .at("column", e.column());
        }
    }

    private static Instant asOf(String text) {
        try {
            return Instant.ofEpochMilli(EventExtractor.parseTime(text));
        } catch (DateTimeException e) {
            throw ApiError.badRequest(
                            "invalid_request",
                            "'asOf' must be an ISO-8601 time such as 2024-05-01T12:00:00Z, was '"
                                    + text
                                    + "'")
                    .at("field", "/asOf");
        }
    }
}
