package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad input gets its 4xx with what and where, and stores nothing. */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private TestNode node;
    private final String stream = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
    private final String events = "/v1/streams/" + stream + "/events";

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint(), "virta.gateway.max-body-size = 4KiB");
        assertThat(
                        node.put(
                                        "/v1/streams/" + stream,
                                        "{\"key\": \"/user\", \"timestamp\": \"/ts\"}")
                                .status())
                .isEqualTo(201);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void assertNothingStoredFor(String... users) {
        for (String user : users) {
            assertThat(
                            node.get("/v1/streams/" + stream + "/keys/" + user + "/events")
                                    .body()
                                    .get("events"))
                    .as("events of " + user)
                    .isEmpty();
        }
    }

    private static void assertError(TestNode.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
        assertThat(reply.body().get("error").asText()).isEqualTo(code);
        assertThat(reply.body().get("detail").asText()).isNotBlank();
    }

    @Test
    void malformedJsonSaysLineAndColumn() {
        var reply =
                node.postJson(
                        events, "[{\"user\": \"u1\", \"ts\": 1},\n {\"user\": \"u2\", \"ts\": }]");

        assertError(reply, 400, "malformed_json");
        assertThat(reply.body().get("position").get("line").asInt()).isEqualTo(2);
        assertThat(reply.body().get("position").get("column").asInt()).isEqualTo(23);
        assertNothingStoredFor("u1", "u2");
    }

    @Test
    void malformedNdjsonLineIsNamed() {
        var reply = node.postNdjson(events, "{\"user\": \"u3\", \"ts\": 1}\n{\"user\": u4}\n");

        assertError(reply, 400, "malformed_json");
        assertThat(reply.body().get("position").get("line").asInt()).isEqualTo(2);
        assertNothingStoredFor("u3");
    }

    @Test
    void anEventWithoutItsKeyRejectsTheWholeBatch() {
        var reply = node.postJson(events, "[{\"user\": \"u5\", \"ts\": 1}, {\"ts\": 2}]");

        assertError(reply, 400, "invalid_event");
        JsonNode position = reply.body().get("position");
        assertThat(position.get("index").asInt()).isEqualTo(1);
        assertThat(position.get("field").asText()).isEqualTo("/user");
        assertNothingStoredFor("u5");
    }

    @Test
    void aTimestampOfTheWrongTypeIsRejected() {
        var reply = node.postJson(events, "{\"user\": \"u6\", \"ts\": {\"at\": 1}}");

        assertError(reply, 400, "invalid_event");
        assertThat(reply.body().get("position").get("field").asText()).isEqualTo("/ts");
        assertNothingStoredFor("u6");
    }

    @Test
    void aNonObjectEventIsRejected() {
        var reply = node.postJson(events, "[{\"user\": \"u7\", \"ts\": 1}, 42]");

        assertError(reply, 400, "invalid_event");
        assertThat(reply.body().get("position").get("index").asInt()).isEqualTo(1);
        assertNothingStoredFor("u7");
    }

    @Test
    void anUnknownStreamIs404() {
        assertError(
                node.postJson("/v1/streams/no-such-stream/events", "{\"user\": \"u\"}"),
                404,
                "unknown_stream");
        assertError(node.get("/v1/streams/no-such-stream"), 404, "unknown_stream");
        assertError(node.get("/v1/streams/no-such-stream/keys/u/events"), 404, "unknown_stream");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"user\": \"u8\", \"ts\": 1, \"pad\": \"" + "x".repeat(5000) + "\"}";

        assertError(node.postJson(events, big), 413, "payload_too_large");
        assertError(node.postChunked(events, big), 413, "payload_too_large");
        assertNothingStoredFor("u8");
    }

    @Test
    void invalidStreamDefinitionsChangeNothing() {
        String name = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        assertError(
                node.put("/v1/streams/" + name, "{\"timestamp\": \"/ts\"}"),
                400,
                "invalid_stream_definition");
        assertError(
                node.put("/v1/streams/" + name, "{\"key\": \"user\"}"),
                400,
                "invalid_stream_definition");
        assertError(
                node.put("/v1/streams/" + name, "{\"key\": \"/u\", \"extra\": 1}"),
                400,
                "invalid_stream_definition");
        assertError(
                node.put("/v1/streams/9" + name, "{\"key\": \"/u\"}"), 400, "invalid_stream_name");
        assertError(node.put("/v1/streams/" + name, "{\"key\": "), 400, "malformed_json");
        assertError(node.get("/v1/streams/" + name), 404, "unknown_stream");

        assertError(
                node.put("/v1/streams/" + stream, "{\"key\": \"/other\"}"), 409, "stream_conflict");
        assertThat(node.get("/v1/streams/" + stream).body().get("key").asText()).isEqualTo("/user");
    }

    @Test
    void badReplayParametersAreNamed() {
        var reply = node.get("/v1/streams/" + stream + "/keys/u/events?limit=0");

        assertError(reply, 400, "invalid_query");
        assertThat(reply.body().get("position").get("parameter").asText()).isEqualTo("limit");
        assertError(
                node.get("/v1/streams/" + stream + "/keys/u/events?from=yesterday"),
                400,
                "invalid_query");
    }
}
