package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.PipelineInfo;
import io.virta.actors.api.Pipelines;
import io.virta.actors.api.StatementResult;
import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.ScriptStatement;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.SqlSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code POST /v1/sql}, {@code GET /v1/pipelines}, {@code GET|DELETE
 * /v1/pipelines/{name}}.
 *
 * <p>A script is {@code text/plain} SQL, or JSON {@code {"sql": ..., "start": "latest|earliest"}}.
 * The answer lists every statement with its status; positions of failures are within the whole
 * script. It is 200 when every statement succeeded, 400 when one failed (those before it stay
 * made).
 */
final class SqlRoutes {
    private final Pipelines pipelines;

    SqlRoutes(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    CompletionStage<HttpResponse> submit(byte[] body, boolean json) {
        String script;
        String start = "latest";
        if (json) {
            JsonNode request = readJson(body);
            script = request.path("sql").asText("");
            start = request.path("start").asText("latest");
            if (!start.equals("latest") && !start.equals("earliest")) {
                throw ApiError.badRequest(
                                "invalid_request",
                                "'start' must be 'latest' or 'earliest', was '" + start + "'")
                        .at("field", "/start");
            }
        } else {
            script = new String(body, StandardCharsets.UTF_8);
        }
        List<ScriptStatement> statements = parse(script);
        return pipelines
                .submit(statements.stream().map(ScriptStatement::text).toList(), start)
                .thenApply(results -> answer(statements, results));
    }

    private static List<ScriptStatement> parse(String script) {
        try {
            List<ScriptStatement> statements = SqlParser.parseScript(script);
            if (statements.isEmpty()) {
                throw ApiError.badRequest("invalid_sql", "the script holds no statement");
            }
            return statements;
        } catch (SqlSyntaxException e) {
            throw ApiError.badRequest("invalid_sql", e.getMessage())
                    .at("line", e.line())
                    .at("column", e.column());
        }
    }

    private static HttpResponse answer(
            List<ScriptStatement> statements, List<StatementResult> results) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("statements");
        boolean allSucceeded = true;
        for (int i = 0; i < results.size(); i++) {
            StatementResult r = results.get(i);
            allSucceeded &= r.succeeded();
            ObjectNode item =
                    list.addObject()
                            .put("statement", r.statement())
                            .put("status", r.status())
                            .put("kind", r.kind())
                            .put("name", r.name())
                            .put("detail", r.detail());
            if (r.line() > 0) {
                Position start = statements.get(i).statement().pos();
                int line = start.line() + r.line() - 1;
                int column = r.line() == 1 ? start.column() + r.column() - 1 : r.column();
                item.putObject("position").put("line", line).put("column", column);
            }
        }
        return Json.response(allSucceeded ? StatusCodes.OK : StatusCodes.BAD_REQUEST, body);
    }

    CompletionStage<HttpResponse> list() {
        return pipelines
                .list()
                .thenApply(
                        all -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            ArrayNode list = body.putArray("pipelines");
                            all.forEach(p -> list.add(toJson(p)));
                            return Json.response(StatusCodes.OK, body);
                        });
    }

    CompletionStage<HttpResponse> get(String name) {
        return pipelines
                .get(name)
                .thenApply(
                        found ->
                                Json.response(
                                        StatusCodes.OK,
                                        toJson(found.orElseThrow(() -> unknownPipeline(name)))));
    }

    CompletionStage<HttpResponse> drop(String name) {
        return pipelines
                .drop(name)
                .thenApply(
                        found ->
                                Json.response(
                                        StatusCodes.OK,
                                        toJson(found.orElseThrow(() -> unknownPipeline(name)))
                                                .put("state", "dropped")));
    }

    private static ApiError unknownPipeline(String name) {
        return ApiError.of(
                        StatusCodes.NOT_FOUND,
                        "unknown_pipeline",
                        "no pipeline named '" + name + "' runs: see GET /v1/pipelines")
                .at("parameter", "pipeline");
    }

    private static ObjectNode toJson(PipelineInfo p) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", p.name());
        json.put("sql", p.sql());
        json.put("source", p.source());
        json.put("start", p.start());
        json.put("createdAt", p.createdAt().toString());
        json.put("state", p.state());
        json.put("keyGroups", p.keyGroups());
        if (!p.reason().isEmpty()) {
            json.put("reason", p.reason());
        }
        ArrayNode plan = json.putArray("plan");
        p.plan().forEach(plan::add);
        return json;
    }

    private static JsonNode readJson(byte[] body) {
        ApiError shape =
                ApiError.badRequest(
                        "invalid_request",
                        "the body must be {\"sql\": \"...\", \"start\": \"latest|earliest\"}");
        JsonNode json = Json.readObject(body, shape);
        if (!json.path("sql").isTextual()) {
            throw shape;
        }
        return json;
    }
}
