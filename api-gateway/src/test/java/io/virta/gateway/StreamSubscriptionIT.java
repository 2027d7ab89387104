package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriptions to a whole stream, read through the stream's partition logs: every key's events,
 * each key in order, resumable with Last-Event-ID with no gap and no duplicate; and a client that
 * stops reading is told it was too slow and let go, without holding anything up.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamSubscriptionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SLOW_AFTER = Duration.ofSeconds(2);

    private TestNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startNode() {
        node =
                TestNode.start(
                        SharedCassandra.contactPoint(),
                        "virta.gateway.subscriptions { buffer = 16, slow-subscriber-timeout = "
                                + SLOW_AFTER.toMillis()
                                + "ms }");
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private String newStream() {
        String stream = "all-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(
                        node.put("/v1/streams/" + stream, "{\"key\": \"/user\", \"id\": \"/id\"}")
                                .status())
                .isEqualTo(201);
        return stream;
    }

    private void post(String stream, String user, String id) {
        var reply =
                node.postJson(
                        "/v1/streams/" + stream + "/events",
                        "{\"user\": \"" + user + "\", \"id\": \"" + id + "\"}");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    /** An open whole-stream subscription: the events (data, then id) received so far. */
    private record Subscription(List<JsonNode> events, List<String> ids, Stream<String> lines) {}

    private Subscription subscribe(String stream, String lastEventId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                        URI.create(
                                "http://127.0.0.1:"
                                        + node.server().httpPort()
                                        + "/v1/streams/"
                                        + stream
                                        + "/subscribe"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).join();
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        List<String> ids = new CopyOnWriteArrayList<>();
        Stream<String> lines = response.body();
        CompletableFuture.runAsync(
                () -> {
                    try {
                        lines.forEach(
                                l -> {
                                    if (l.startsWith("data:")) {
                                        events.add(TestNode.json(l.substring(5).trim()));
                                    } else if (l.startsWith("id:")) {
                                        ids.add(l.substring(3).trim());
                                    }
                                });
                    } catch (RuntimeException closed) {
                        // The test closed the subscription.
                    }
                });
        return new Subscription(events, ids, lines);
    }

    private static List<String> keyAndSeq(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.get("key").asText() + "#" + e.get("seq").asLong())
                .toList();
    }

    @Test
    void aWholeStreamSubscriptionGetsEveryKeyInOrderAndResumesWithoutGapOrDuplicate() {
        String stream = newStream();
        List<String> users = List.of("ann", "bob", "cid", "dan", "eve", "fay");
        List<String> expected = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (String user : users) {
                post(stream, user, user + "-" + round);
                expected.add(user + "#" + round);
            }
        }

        Subscription first = subscribe(stream, null);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(keyAndSeq(first.events()))
                                        .containsExactlyInAnyOrderElementsOf(expected));
        assertEachKeyInOrder(first.events());
        await().atMost(WAIT).until(() -> first.ids().size() == expected.size());
        String last = first.ids().get(first.ids().size() - 1);
        first.lines().close();

        List<String> missed = new ArrayList<>();
        for (String user : List.of("ann", "dan", "zed")) {
            post(stream, user, user + "-late");
            missed.add(user + "#" + (user.equals("zed") ? 1 : 4));
        }
        Subscription resumed = subscribe(stream, last);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(keyAndSeq(resumed.events()))
                                        .containsExactlyInAnyOrderElementsOf(missed));
        resumed.lines().close();
    }

    private static void assertEachKeyInOrder(List<JsonNode> events) {
        Map<String, Long> last = new HashMap<>();
        for (JsonNode e : events) {
            long seq = e.get("seq").asLong();
            Long before = last.put(e.get("key").asText(), seq);
            assertThat(seq)
                    .as("order of %s", e.get("key"))
                    .isEqualTo(before == null ? 1 : before + 1);
        }
    }

    @Test
    void aBadPositionIsRefused() {
        String stream = newStream();
        var reply = node.get("/v1/streams/" + stream + "/subscribe?from=1-2.x");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("detail").asText()).contains("'from'");
    }

    @Test
    void aClientThatStopsReadingIsToldWhyAndLetGo() throws IOException {
        String stream = newStream();
        String big = "x".repeat(10_000);
        // More than the kernel's socket buffers on both ends hold, so that the server's writes
        // stall.
        for (int request = 0; request < 8; request++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                ndjson.append("{\"user\": \"u")
                        .append(i % 10)
                        .append("\", \"id\": \"")
                        .append(request)
                        .append('-')
                        .append(i)
                        .append("\", \"pad\": \"")
                        .append(big)
                        .append("\"}\n");
            }
            var reply = node.postNdjson("/v1/streams/" + stream + "/events", ndjson.toString());
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        }
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", node.server().httpPort()));
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET /v1/streams/"
                                    + stream
                                    + "/subscribe HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Accept: text/event-stream\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The behaviour under test: this client reads nothing for well over the timeout.
            LockSupport.parkNanos(SLOW_AFTER.multipliedBy(3).toNanos());

            socket.setSoTimeout((int) WAIT.toMillis());
            String received = readToEnd(socket.getInputStream());
            // Asserted on the tail only: the whole response is megabytes.
            String tail = received.substring(Math.max(0, received.length() - 400));
            assertThat(received.startsWith("HTTP/1.1 200")).as(tail).isTrue();
            assertThat(tail).contains("event:error").contains("slow_subscriber");
            assertThat(received.lastIndexOf("event:error"))
                    .as("the error is the last event")
                    .isGreaterThan(received.lastIndexOf("event:event"));
        }
        // The stream went on being served meanwhile: others read it in full.
        var replay = node.get("/v1/streams/" + stream + "/keys/u3/events?limit=1000");
        assertThat(replay.body().get("events")).hasSize(80);
    }

    /** Everything until the server closes the connection (a read timeout fails the test). */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }
}
