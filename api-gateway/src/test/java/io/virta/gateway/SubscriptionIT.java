package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server-Sent Events per key: live events, and a resume with Last-Event-ID that has no gap and no
 * duplicate.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionIT {
    private TestNode node;
    private final String stream = "feed-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint());
        assertThat(
                        node.put("/v1/streams/" + stream, "{\"key\": \"/user\", \"id\": \"/id\"}")
                                .status())
                .isEqualTo(201);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void post(String id) {
        var reply =
                node.postJson(
                        "/v1/streams/" + stream + "/events",
                        "{\"user\": \"ann\", \"id\": \"" + id + "\"}");
        assertThat(reply.status()).isEqualTo(200);
    }

    /** An open subscription: the SSE ids received so far, and the way to close it. */
    private record Subscription(List<String> ids, Stream<String> lines) {}

    private Subscription subscribe(String lastEventId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                        URI.create(
                                "http://127.0.0.1:"
                                        + node.server().httpPort()
                                        + "/v1/streams/"
                                        + stream
                                        + "/subscribe?key=ann"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).join();
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new CopyOnWriteArrayList<>();
        Stream<String> lines = response.body();
        CompletableFuture.runAsync(
                () -> {
                    try {
                        lines.filter(l -> l.startsWith("id:"))
                                .forEach(l -> ids.add(l.substring(3).trim()));
                    } catch (RuntimeException closed) {
                        // The test closed the subscription.
                    }
                });
        return new Subscription(ids, lines);
    }

    @Test
    void aResumedSubscriptionGetsExactlyWhatItMissed() {
        post("e1");
        post("e2");
        post("e3");

        Subscription first = subscribe(null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(first.ids()).containsExactly("1", "2", "3"));
        post("e4");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(first.ids()).containsExactly("1", "2", "3", "4"));
        first.lines().close();

        post("e5");
        post("e6");
        Subscription resumed = subscribe("4");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(resumed.ids()).containsExactly("5", "6"));
        resumed.lines().close();
    }

    @Test
    void theSameSubscriptionWorksOverAWebSocket() throws Exception {
        String user = "wes";
        for (String id : List.of("w1", "w2")) {
            var reply =
                    node.postJson(
                            "/v1/streams/" + stream + "/events",
                            "{\"user\": \"" + user + "\", \"id\": \"" + id + "\"}");
            assertThat(reply.status()).isEqualTo(200);
        }
        List<String> messages = new CopyOnWriteArrayList<>();
        java.net.http.WebSocket socket =
                http.newWebSocketBuilder()
                        .buildAsync(
                                URI.create(
                                        "ws://127.0.0.1:"
                                                + node.server().httpPort()
                                                + "/v1/streams/"
                                                + stream
                                                + "/subscribe?key="
                                                + user
                                                + "&from=2"),
                                new java.net.http.WebSocket.Listener() {
                                    @Override
                                    public java.util.concurrent.CompletionStage<?> onText(
                                            java.net.http.WebSocket ws,
                                            CharSequence text,
                                            boolean last) {
                                        messages.add(text.toString());
                                        ws.request(1);
                                        return null;
                                    }
                                })
                        .join();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(messages)
                                        .singleElement()
                                        .satisfies(
                                                m ->
                                                        assertThat(
                                                                        TestNode.MAPPER
                                                                                .readTree(m)
                                                                                .get("id")
                                                                                .asText())
                                                                .isEqualTo("w2")));
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aSubscriptionNeedsAValidKeyAndAKnownStream() {
        assertThat(node.get("/v1/streams/" + stream + "/subscribe?key=").status()).isEqualTo(400);
        assertThat(node.get("/v1/streams/no-such-stream/subscribe?key=a").status()).isEqualTo(404);
        assertThat(node.get("/v1/streams/" + stream + "/subscribe?key=a&from=x").status())
                .isEqualTo(400);
    }
}
