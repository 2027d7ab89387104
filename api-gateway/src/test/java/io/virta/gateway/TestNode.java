package io.virta.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Virta node for tests, on a given Cassandra, with free HTTP and remoting ports and message
 * serialization checked on every send, plus a small HTTP client for its gateway.
 */
final class TestNode implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code text} as JSON; a test fails on invalid JSON. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private final VirtaServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestNode(VirtaServer server) {
        this.server = server;
    }

    /**
     * A node on {@code contactPoint} with {@code overrides} (HOCON) on top of the server's
     * configuration.
     */
    static TestNode start(String contactPoint, String overrides) {
        Config config =
                ConfigFactory.parseString(overrides)
                        .withFallback(
                                ConfigFactory.parseString(
                                        """
                                        virta.gateway.http.port = 0
                                        pekko.remote.artery.canonical.port = 0
                                        pekko.actor.serialize-messages = on
                                        pekko.persistence.cassandra.journal.keyspace = virta_it
                                        pekko.persistence.cassandra.snapshot.keyspace = virta_it_snapshot
                                        """))
                        .withFallback(
                                ConfigFactory.parseString(
                                        "virta.cassandra.contact-points = \""
                                                + contactPoint
                                                + "\""))
                        .withFallback(ConfigFactory.load());
        return new TestNode(VirtaServer.start(config));
    }

    /**
     * Waits until the node's catalog answers, and returns the node. The first request after a start
     * recovers the catalog entity, which on a Cassandra just started (keyspaces and tables being
     * created) can take longer than a test's short ask timeout; tests on a Cassandra of their own
     * begin with this.
     */
    TestNode awaitCatalog() {
        await("the catalog of the node answers")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get("/v1/streams").status() == 200);
        return this;
    }

    static TestNode start(String contactPoint) {
        return start(contactPoint, "");
    }

    VirtaServer server() {
        return server;
    }

    /** A response: status, JSON body (null when empty) and headers. */
    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply raw(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply put(String path, String json) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    Reply post(String path, String body, String contentType) {
        return send(
                request(path)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    /** Posts {@code body} chunked, without a Content-Length, as a streaming client would. */
    Reply postChunked(String path, String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(bytes)))
                        .build());
    }

    Reply postJson(String path, String json) {
        return post(path, json, "application/json");
    }

    Reply postNdjson(String path, String ndjson) {
        return post(path, ndjson, "application/x-ndjson");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(60));
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the node without a clean shutdown: its actor system terminates with no coordinated
     * shutdown (start the node with {@code pekko.coordinated-shutdown.run-by-actor-system-terminate
     * = off}), so entities neither passivate nor finish what they were doing, as in a crash.
     */
    void kill() {
        server.system().terminate();
        server.system().getWhenTerminated().toCompletableFuture().join();
    }

    @Override
    public void close() {
        server.close();
    }
}
