package io.virta.gateway.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.actors.api.ConnectorInfo;
import io.virta.actors.api.Connectors;
import io.virta.connectors.ConnectorService;
import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: {@code GET /v1/connectors}, {@code GET|DELETE /v1/connectors/{name}}, {@code POST
 * /v1/connectors/{name}/pause|resume}. A connector is described with its options (client options'
 * values hidden, they may hold secrets), its state on this node, and per partition what was
 * consumed, committed and dead-lettered and the lag.
 */
final class ConnectorRoutes {
    private final Connectors connectors;
    private final ConnectorService service;

    ConnectorRoutes(Connectors connectors, ConnectorService service) {
        this.connectors = connectors;
        this.service = service;
    }

    CompletionStage<HttpResponse> list() {
        return connectors
                .list()
                .thenApply(
                        all -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            ArrayNode list = body.putArray("connectors");
                            all.forEach(c -> list.add(describe(c)));
                            return Json.response(StatusCodes.OK, body);
                        });
    }

    CompletionStage<HttpResponse> get(String name) {
        return connectors
                .get(name)
                .thenCompose(
                        found -> {
                            ConnectorInfo info = found.orElseThrow(() -> unknown(name));
                            return service.status(name)
                                    .exceptionally(failure -> Optional.empty())
                                    .thenApply(
                                            status ->
                                                    Json.response(
                                                            StatusCodes.OK,
                                                            withStatus(describe(info), status)));
                        });
    }

    CompletionStage<HttpResponse> setPaused(String name, boolean paused) {
        return connectors
                .setPaused(name, paused)
                .thenApply(
                        found ->
                                Json.response(
                                        StatusCodes.OK,
                                        describe(found.orElseThrow(() -> unknown(name)))));
    }

    CompletionStage<HttpResponse> drop(String name) {
        return connectors
                .drop(name)
                .thenCompose(
                        dropped -> {
                            if (!dropped) {
                                return CompletableFuture.failedFuture(unknown(name));
                            }
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            body.put("name", name).put("state", "dropped");
                            return CompletableFuture.completedFuture(
                                    Json.response(StatusCodes.OK, body));
                        });
    }

    private static ApiError unknown(String name) {
        return ApiError.of(
                        StatusCodes.NOT_FOUND,
                        "unknown_connector",
                        "no connector named '" + name + "': see GET /v1/connectors")
                .at("parameter", "connector");
    }

    private static ObjectNode describe(ConnectorInfo c) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        var spec = c.spec();
        json.put("name", spec.name());
        json.put("kind", spec.kind());
        json.put("type", spec.type());
        json.put("servers", spec.servers());
        json.put("topic", spec.topic());
        json.put("stream", spec.stream());
        json.put("format", spec.format());
        json.put("start", spec.start());
        if (spec.source()) {
            json.put("deadLetterTopic", spec.deadLetterTopic());
        }
        ArrayNode options = json.putArray("clientOptions");
        spec.clientOptions().keySet().stream().sorted().forEach(options::add);
        json.put("paused", c.paused());
        json.put("state", c.paused() ? "paused" : "running");
        json.put("sql", c.sql());
        json.put("createdAt", c.createdAt().toString());
        return json;
    }

    private static ObjectNode withStatus(ObjectNode json, Optional<ConnectorStatus> status) {
        status.ifPresent(
                s -> {
                    json.put("state", s.state());
                    if (!s.error().isEmpty()) {
                        json.put("error", s.error());
                    }
                    if (!s.position().isEmpty()) {
                        json.put("position", s.position());
                    }
                    ArrayNode nodes = json.putArray("nodes");
                    s.nodes().forEach(nodes::add);
                    ArrayNode partitions = json.putArray("partitions");
                    for (PartitionStatus p : s.partitions()) {
                        ObjectNode n = partitions.addObject();
                        if (!p.consumer().isEmpty()) {
                            n.put("consumer", p.consumer());
                        }
                        if (p.partition() >= 0) {
                            n.put("partition", p.partition());
                        }
                        n.put("consumed", p.consumed());
                        if (p.committed() >= 0) {
                            n.put("committed", p.committed());
                        }
                        if (p.endOffset() >= 0) {
                            n.put("endOffset", p.endOffset());
                        }
                        // A Pulsar backlog is known without an end offset.
                        if (p.lag() >= 0) {
                            n.put("lag", p.lag());
                        }
                        n.put("deadLettered", p.deadLettered());
                    }
                });
        return json;
    }
}
