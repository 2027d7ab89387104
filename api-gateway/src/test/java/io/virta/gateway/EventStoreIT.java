package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Posting, replaying and restarting, end to end over HTTP, on the shared real Cassandra. */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreIT {
    private TestNode node;

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint());
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static String uniqueStream(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void define(TestNode on, String stream, String definition) {
        assertThat(on.put("/v1/streams/" + stream, definition).status()).isEqualTo(201);
    }

    @Test
    void postedEventsReplayInOrderAndIdenticallyAfterARestart() {
        String stream = uniqueStream("orders");
        define(
                node,
                stream,
                "{\"key\": \"/customer\", \"timestamp\": \"/ts\", \"id\": \"/order\"}");

        var posted =
                node.postJson(
                        "/v1/streams/" + stream + "/events",
                        """
                        [{"customer": "alice", "ts": "2024-05-01T12:00:00Z", "order": "o1", "amount": 10},
                         {"customer": "bob", "ts": 1714564860000, "order": "o2"},
                         {"customer": "alice", "ts": "2024-05-01T12:02:00Z", "order": "o3", "amount": 7.5}]
                        """);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body().get("events"))
                .extracting(e -> e.get("key").asText() + "#" + e.get("seq").asLong())
                .containsExactly("alice#1", "bob#1", "alice#2");

        String replayPath = "/v1/streams/" + stream + "/keys/alice/events";
        JsonNode before = node.get(replayPath).body();
        assertThat(before.get("events"))
                .extracting(e -> e.get("id").asText())
                .containsExactly("o1", "o3");
        assertThat(before.get("events").get(1).get("payload").get("amount").asDouble())
                .isEqualTo(7.5);
        assertThat(before.get("events").get(0).get("eventTime").asText())
                .isEqualTo("2024-05-01T12:00:00Z");

        node.close();
        node = TestNode.start(SharedCassandra.contactPoint());

        assertThat(node.get("/v1/streams/" + stream).body().get("key").asText())
                .isEqualTo("/customer");
        assertThat(node.get(replayPath).body()).isEqualTo(before);
        var after =
                node.postJson(
                        "/v1/streams/" + stream + "/events",
                        "{\"customer\": \"alice\", \"ts\": 1714564980000, \"order\": \"o4\"}");
        assertThat(after.body().get("events").get(0).get("seq").asLong()).isEqualTo(3);
    }

    @Test
    void replayFiltersBySequenceTimeAndLimit() {
        String stream = uniqueStream("readings");
        define(node, stream, "{\"key\": \"/sensor\", \"timestamp\": \"/at\"}");
        StringBuilder body = new StringBuilder();
        for (int minute = 0; minute < 10; minute++) {
            body.append(
                    String.format(
                            "{\"sensor\": \"s1\", \"at\": \"2024-05-01T12:%02d:00Z\", \"n\": %d}%n",
                            minute, minute));
        }
        assertThat(node.postNdjson("/v1/streams/" + stream + "/events", body.toString()).status())
                .isEqualTo(200);

        String path = "/v1/streams/" + stream + "/keys/s1/events";
        assertThat(node.get(path + "?fromSeq=8").body().get("events"))
                .extracting(e -> e.get("payload").get("n").asInt())
                .containsExactly(7, 8, 9);
        assertThat(
                        node.get(path + "?from=2024-05-01T12:03:00Z&to=2024-05-01T12:06:00Z")
                                .body()
                                .get("events"))
                .extracting(e -> e.get("payload").get("n").asInt())
                .containsExactly(3, 4, 5);
        assertThat(node.get(path + "?limit=2").body().get("events"))
                .extracting(e -> e.get("seq").asLong())
                .containsExactly(1L, 2L);
    }

    @Test
    void tenThousandEventsOverAHundredKeysReplayCompleteAndInOrder() {
        String stream = uniqueStream("bulk");
        define(node, stream, "{\"key\": \"/k\"}");
        int keys = 100;
        int perKey = 100;
        int batch = 1_000;
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                lines.add("{\"k\": \"key-" + k + "\", \"n\": " + n + "}");
            }
        }
        for (int from = 0; from < lines.size(); from += batch) {
            String ndjson = String.join("\n", lines.subList(from, from + batch)) + "\n";
            var reply = node.postNdjson("/v1/streams/" + stream + "/events", ndjson);
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(reply.body().get("stored").asInt()).isEqualTo(batch);
        }

        for (int k = 0; k < keys; k++) {
            JsonNode events =
                    node.get("/v1/streams/" + stream + "/keys/key-" + k + "/events?limit=10000")
                            .body()
                            .get("events");
            assertThat(events).hasSize(perKey);
            for (int n = 0; n < perKey; n++) {
                assertThat(events.get(n).get("seq").asLong()).isEqualTo(n + 1);
                assertThat(events.get(n).get("payload").get("n").asInt()).isEqualTo(n);
            }
        }
    }

    @Test
    void aRepeatedEventIdIsStoredOnce() {
        String stream = uniqueStream("payments");
        define(node, stream, "{\"key\": \"/account\", \"id\": \"/payment_id\"}");
        String path = "/v1/streams/" + stream + "/events";
        String payment = "{\"account\": \"acct-1\", \"payment_id\": \"p-1\", \"amount\": 5}";

        var first = node.postJson(path, payment);
        var retry = node.postJson(path, "[" + payment + ", " + payment + "]");

        assertThat(first.body().get("events").get(0).get("duplicate").asBoolean()).isFalse();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("duplicates").asInt()).isEqualTo(2);
        assertThat(retry.body().get("events"))
                .allSatisfy(e -> assertThat(e.get("seq").asLong()).isEqualTo(1));
        assertThat(node.get("/v1/streams/" + stream + "/keys/acct-1/events").body().get("events"))
                .hasSize(1);
    }
}
