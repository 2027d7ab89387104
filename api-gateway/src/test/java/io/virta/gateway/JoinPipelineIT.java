package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Joins on the cluster: a stream-stream interval join (inner and left, with an expression over both
 * sides), a stream-table enrichment join re-keyed by the join column, and an interval join whose
 * buffers are open when the node is killed.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String CRASHABLE =
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off";

    private TestNode node;

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void sql(String script) {
        var reply = node.post("/v1/sql", script, "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private void post(String stream, String json) {
        var reply = node.postJson("/v1/streams/" + stream + "/events", json);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private List<JsonNode> replay(String stream, String key) {
        var reply = node.get("/v1/streams/" + stream + "/keys/" + key + "/events");
        if (reply.status() == 404) {
            return List.of();
        }
        return StreamSupport.stream(reply.body().get("events").spliterator(), false)
                .map(e -> e.get("payload"))
                .toList();
    }

    /** Declares page views and purchases keyed by user; returns the suffix of their names. */
    private String viewsAndPurchases() {
        String x = "_" + UUID.randomUUID().toString().substring(0, 6);
        sql(
                """
                CREATE STREAM page_views%1$s (user_id STRING, page STRING, event_time TIMESTAMP)
                  WITH (KEY='user_id', TIMESTAMP='event_time', IDLE_TIMEOUT='2 SECONDS');
                CREATE STREAM purchases%1$s (user_id STRING, amount DOUBLE, event_time TIMESTAMP)
                  WITH (KEY='user_id', TIMESTAMP='event_time', IDLE_TIMEOUT='2 SECONDS');
                """
                        .formatted(x));
        return x;
    }

    private void view(String x, String user, String page, String time) {
        post(
                "page_views" + x,
                "{\"user_id\": \"%s\", \"page\": \"%s\", \"event_time\": \"2024-05-01T%sZ\"}"
                        .formatted(user, page, time));
    }

    private void purchase(String x, String user, double amount, String time) {
        post(
                "purchases" + x,
                "{\"user_id\": \"%s\", \"amount\": %s, \"event_time\": \"2024-05-01T%sZ\"}"
                        .formatted(user, amount, time));
    }

    @Test
    void anIntervalJoinPairsRowsWithinItsBoundsAndALeftJoinKeepsTheUnmatched() {
        String x = viewsAndPurchases();
        String select =
                " AS SELECT v.user_id, v.page, p.amount, (p.event_time - v.event_time) AS"
                        + " time_to_purchase FROM page_views%1$s v %2$s purchases%1$s p"
                        + " ON v.user_id = p.user_id WITHIN 1 HOUR EMIT CHANGES;";
        sql(
                ("CREATE STREAM bought%1$s" + select + "\nCREATE STREAM looked%1$s" + select)
                        .formatted(x, "JOIN")
                        .replaceFirst("(?s)(CREATE STREAM looked.*?) JOIN ", "$1 LEFT JOIN "));
        view(x, "ann", "home", "12:00:00");
        purchase(x, "ann", 30, "12:10:00");
        view(x, "bob", "cart", "12:00:00");
        purchase(x, "bob", 99, "13:30:00");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("bought" + x, "ann"))
                                        .singleElement()
                                        .satisfies(
                                                r -> {
                                                    assertThat(r.get("page").asText())
                                                            .isEqualTo("home");
                                                    assertThat(r.get("amount").asDouble())
                                                            .isEqualTo(30.0);
                                                    assertThat(r.get("time_to_purchase").asLong())
                                                            .isEqualTo(600_000L);
                                                }));
        // bob bought more than an hour after his view: no pair; the left join emits his view alone
        // once the watermark has passed its bound.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("looked" + x, "bob"))
                                        .singleElement()
                                        .satisfies(
                                                r -> {
                                                    assertThat(r.get("page").asText())
                                                            .isEqualTo("cart");
                                                    assertThat(r.get("amount").isNull()).isTrue();
                                                }));
        assertThat(replay("bought" + x, "bob")).isEmpty();
        assertThat(replay("looked" + x, "ann")).hasSize(1);
    }

    @Test
    void aStreamTableJoinEnrichesPurchasesReKeyedByTheTablesKey() {
        String x = "_" + UUID.randomUUID().toString().substring(0, 6);
        sql(
                """
                CREATE TABLE users%1$s (id STRING, country STRING) WITH (KEY='id');
                CREATE STREAM orders%1$s (order_id STRING, user_id STRING, amount DOUBLE)
                  WITH (KEY='order_id');
                CREATE STREAM enriched%1$s AS SELECT p.order_id, p.user_id, p.amount, u.country
                  FROM orders%1$s p LEFT JOIN users%1$s u ON p.user_id = u.id EMIT CHANGES;
                """
                        .formatted(x));
        post("users" + x, "{\"id\": \"ann\", \"country\": \"NO\"}");
        // The table row and the orders reach the join key's group by different paths; probe until
        // the table row is there, then order.
        int[] probe = {0};
        await().atMost(WAIT)
                .until(
                        () -> {
                            post(
                                    "orders" + x,
                                    "{\"order_id\": \"probe%d\", \"user_id\": \"ann\", \"amount\": 0}"
                                            .formatted(++probe[0]));
                            return replay("enriched" + x, "ann").stream()
                                    .anyMatch(r -> r.path("country").asText().equals("NO"));
                        });
        post("orders" + x, "{\"order_id\": \"o1\", \"user_id\": \"ann\", \"amount\": 12.5}");
        post("orders" + x, "{\"order_id\": \"o2\", \"user_id\": \"zed\", \"amount\": 7}");

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(replay("enriched" + x, "ann"))
                                    .filteredOn(r -> r.get("order_id").asText().equals("o1"))
                                    .singleElement()
                                    .satisfies(
                                            r ->
                                                    assertThat(r.get("country").asText())
                                                            .isEqualTo("NO"));
                            assertThat(replay("enriched" + x, "zed"))
                                    .singleElement()
                                    .satisfies(r -> assertThat(r.get("country").isNull()).isTrue());
                        });
    }

    @Test
    void aJoinWithOpenBuffersFinishesAfterTheNodeIsKilled() {
        String x = viewsAndPurchases();
        sql(
                ("CREATE STREAM bought%1$s AS SELECT v.user_id, v.page, p.amount FROM page_views%1$s"
                                + " v JOIN purchases%1$s p ON v.user_id = p.user_id WITHIN 1 HOUR"
                                + " EMIT CHANGES;")
                        .formatted(x));
        view(x, "cid", "home", "14:00:00");
        view(x, "cid", "help", "14:05:00");

        node.kill();
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);

        purchase(x, "cid", 5, "14:20:00");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("bought" + x, "cid"))
                                        .extracting(r -> r.get("page").asText())
                                        .containsExactlyInAnyOrder("home", "help"));
    }
}
