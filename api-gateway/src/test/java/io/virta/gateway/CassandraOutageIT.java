package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cassandra goes away and comes back. Runs its own Cassandra (not the shared one) because it stops
 * it. The node waits 3 s for acknowledgements and allows one append in flight, so overload is easy
 * to reach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraOutageIT {
    private static final String STREAM =
            "outage-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "/v1/streams/" + STREAM + "/events";

    private EmbeddedCassandraSettings cassandraSettings;
    private EmbeddedCassandra cassandra;
    private TestNode node;

    @BeforeAll
    void start() {
        int port = Integer.getInteger("virta.it.cassandra.port", 19042) + 200;
        int storagePort = Integer.getInteger("virta.it.cassandra.storage-port", 19000) + 200;
        Path dataDir =
                Path.of(System.getProperty("virta.it.data-dir", "target/it-data"))
                        .resolve("cassandra-outage");
        cassandraSettings = EmbeddedCassandraSettings.create(port, storagePort, dataDir);
        cassandra = EmbeddedCassandra.start(cassandraSettings);
        node =
                TestNode.start(
                                cassandra.contactPoint(),
                                """
                        virta.actors.ask-timeout = 3s
                        virta.actors.max-in-flight-appends = 1
                        """)
                        .awaitCatalog();
        assertThat(
                        node.put("/v1/streams/" + STREAM, "{\"key\": \"/user\", \"id\": \"/id\"}")
                                .status())
                .isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (cassandra != null) {
            cassandra.stop();
        }
    }

    private static String event(String user, String id) {
        return "{\"user\": \"" + user + "\", \"id\": \"" + id + "\"}";
    }

    @Test
    void answers503WhileCassandraIsDownAndRecoversWhenItIsBack() {
        assertThat(node.postJson(EVENTS, event("ann", "before")).status()).isEqualTo(200);

        cassandra.stop();

        var down = node.postJson(EVENTS, event("ann", "during"));
        assertThat(down.status()).as(down.raw().body()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("1");
        assertThat(down.body().get("error").asText()).isEqualTo("unavailable");
        assertThat(down.body().get("acknowledged")).isEmpty();
        assertThat(node.get("/ready").status()).isEqualTo(503);

        // One append in flight is allowed: while one waits on the missing Cassandra, the others are
        // refused
        // at once as overloaded. None is acknowledged.
        List<CompletableFuture<TestNode.Reply>> concurrent =
                IntStream.range(0, 5)
                        .mapToObj(
                                i ->
                                        CompletableFuture.supplyAsync(
                                                () ->
                                                        node.postJson(
                                                                EVENTS,
                                                                event("user-" + i, "c" + i))))
                        .toList();
        List<TestNode.Reply> replies = concurrent.stream().map(CompletableFuture::join).toList();
        assertThat(replies).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        assertThat(replies)
                .anySatisfy(
                        r -> assertThat(r.body().get("error").asText()).isEqualTo("overloaded"));

        cassandra = EmbeddedCassandra.start(cassandraSettings);

        await("a post succeeds once Cassandra is back")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> node.postJson(EVENTS, event("ann", "after")).status() == 200);
        await("the node is ready again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> node.get("/ready").status() == 200);

        assertThat(node.get("/v1/streams/" + STREAM + "/keys/ann/events").body().get("events"))
                .extracting(e -> e.get("id").asText())
                .containsExactly("before", "after");
        for (int i = 0; i < 5; i++) {
            assertThat(
                            node.get("/v1/streams/" + STREAM + "/keys/user-" + i + "/events")
                                    .body()
                                    .get("events"))
                    .isEmpty();
        }
    }
}
