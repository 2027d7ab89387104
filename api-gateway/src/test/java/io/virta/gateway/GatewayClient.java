package io.virta.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the gateway of a node in another JVM, at {@code port}. */
record GatewayClient(int port) {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A reply: status and JSON body (null when empty). */
    record Reply(int status, JsonNode body) {}

    /** Defines stream {@code name}. */
    Reply defineStream(String name, String definition) throws IOException, InterruptedException {
        return send(
                request("/v1/streams/" + name)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(definition))
                        .build());
    }

    Reply postEvents(String stream, String json) throws IOException, InterruptedException {
        return send(
                request("/v1/streams/" + stream + "/events")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
    }

    private static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                response.body().isEmpty() ? null : TestNode.json(response.body()));
    }
}
