package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.EventStore;
import io.virta.runtime.stream.EventExtractor;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code GET /v1/tables/{table}/keys/{key}[?asOf=<ISO-8601>]}: the latest row of a
 * key of a table, or the row as it was at that event time, rebuilt from the key's input history.
 * 404 when the table or the row does not exist; 409 when a sink keeps the table's history in its
 * topic.
 */
final class TableRoutes {
    private final EventStore store;

    TableRoutes(EventStore store) {
        this.store = store;
    }

    CompletionStage<HttpResponse> row(String table, String key, Map<String, String> params) {
        Optional<Instant> asOf = asOf(params);
        return store.describe(table)
                .thenCompose(
                        found -> {
                            found.orElseThrow(
                                    () ->
                                            ApiError.of(
                                                            StatusCodes.NOT_FOUND,
                                                            "unknown_table",
                                                            "table '" + table + "' does not exist")
                                                    .at("parameter", "table"));
                            // A table whose history a sink keeps in its topic has no rows here.
                            StreamRoutes.storedInVirta(store, table, found);
                            return store.tables().row(table, key, asOf);
                        })
                .thenApply(
                        row -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            body.put("table", table);
                            body.put("key", key);
                            asOf.ifPresent(t -> body.put("asOf", t.toString()));
                            body.set(
                                    "row",
                                    row.orElseThrow(
                                            () ->
                                                    ApiError.of(
                                                            StatusCodes.NOT_FOUND,
                                                            "no_row",
                                                            "table '"
                                                                    + table
                                                                    + "' has no row for key '"
                                                                    + key
                                                                    + "'"
                                                                    + asOf.map(t -> " as of " + t)
                                                                            .orElse(""))));
                            return Json.response(StatusCodes.OK, body);
                        });
    }

    private static Optional<Instant> asOf(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!name.equals("asOf")) {
                throw ApiError.badRequest(
                                "invalid_query", "unknown parameter '" + name + "': use asOf")
                        .at("parameter", name);
            }
        }
        String text = params.get("asOf");
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(EventExtractor.parseTime(text)));
        } catch (DateTimeException e) {
            throw ApiError.badRequest(
                            "invalid_query",
                            "'asOf' must be an ISO-8601 time such as 2024-05-01T12:00:00Z, was '"
                                    + text
                                    + "'")
                    .at("parameter", "asOf");
        }
    }
}
