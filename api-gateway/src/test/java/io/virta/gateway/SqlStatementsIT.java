package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The statements of the streaming SQL dialect's examples, as written there (names suffixed so that
 * runs do not meet), submitted through {@code /v1/sql} and run on the cluster: events posted over
 * HTTP or inserted by SQL, results read by replay, by subscription and from the table.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlStatementsIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private TestNode node;
    private final String x = "_" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint());
        String inputs =
                """
                CREATE STREAM purchases%1$s (user_id STRING, product_id STRING, amount DOUBLE,
                  event_time TIMESTAMP) WITH (KEY='user_id', TIMESTAMP='event_time',
                  OUT_OF_ORDERNESS='10 MINUTES', IDLE_TIMEOUT='2 SECONDS');
                CREATE STREAM page_view_events%1$s (user_id STRING, page_url STRING,
                  event_time TIMESTAMP) WITH (KEY='user_id', TIMESTAMP='event_time',
                  OUT_OF_ORDERNESS='10 MINUTES', IDLE_TIMEOUT='2 SECONDS');
                CREATE STREAM api_requests%1$s (request_id STRING, response_time_ms INT,
                  event_time TIMESTAMP) WITH (KEY='request_id', TIMESTAMP='event_time',
                  OUT_OF_ORDERNESS='10 MINUTES', IDLE_TIMEOUT='2 SECONDS');
                CREATE STREAM user_activities%1$s (user_id STRING, action_type STRING,
                  event_time TIMESTAMP) WITH (KEY='user_id', TIMESTAMP='event_time',
                  OUT_OF_ORDERNESS='10 MINUTES', IDLE_TIMEOUT='2 SECONDS');
                """
                        .formatted(x);
        String examples =
                """
                CREATE STREAM high_value_purchases%1$s AS SELECT * FROM purchases%1$s WHERE amount > 1000 EMIT CHANGES;
                CREATE STREAM page_views%1$s AS SELECT TUMBLING_WINDOW(5 MINUTES) AS window, page_url, COUNT(*) AS view_count
                  FROM page_view_events%1$s GROUP BY page_url EMIT CHANGES;
                CREATE STREAM revenue_by_product%1$s AS SELECT product_id, SUM(amount) AS total_revenue, COUNT(*) AS purchase_count
                  FROM purchases%1$s GROUP BY product_id WINDOW TUMBLING (SIZE 1 HOUR) EMIT CHANGES;
                CREATE STREAM sliding_averages%1$s AS SELECT HOPPING_WINDOW(SIZE 10 MINUTES, ADVANCE 1 MINUTE) AS window,
                  AVG(response_time_ms) AS avg_response_time FROM api_requests%1$s EMIT CHANGES;
                CREATE STREAM user_sessions%1$s AS SELECT SESSION_WINDOW(15 MINUTES) AS session, user_id,
                  COUNT(*) AS actions_in_session, COLLECT_LIST(action_type) AS actions FROM user_activities%1$s GROUP BY user_id EMIT CHANGES;
                CREATE EVENT_STORE account_transactions%1$s (account_id STRING, event_type STRING, amount DECIMAL, balance DECIMAL,
                  event_time TIMESTAMP) PARTITION BY account_id;
                CREATE TABLE account_balances%1$s AS SELECT account_id, SUM(CASE WHEN event_type = 'deposit' THEN amount
                  WHEN event_type = 'withdrawal' THEN -amount END) AS balance FROM account_transactions%1$s GROUP BY account_id;
                INSERT INTO account_transactions%1$s VALUES ('acct123', 'deposit', 500.00, 1500.00, NOW());
                INSERT INTO account_transactions%1$s VALUES ('acct123', 'withdrawal', 200.00, 1300.00, NOW());
                """
                        .formatted(x);
        for (String script : List.of(inputs, examples)) {
            var reply = node.post("/v1/sql", script, "text/plain");
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        }
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void post(String stream, String json) {
        var reply = node.postJson("/v1/streams/" + stream + x + "/events", json);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private List<JsonNode> replay(String stream, String key) {
        var reply = node.get("/v1/streams/" + stream + x + "/keys/" + key + "/events?limit=1000");
        if (reply.status() == 404) {
            return List.of();
        }
        return StreamSupport.stream(reply.body().get("events").spliterator(), false)
                .map(e -> e.get("payload"))
                .toList();
    }

    private static String at(String time) {
        return "\"2024-05-01T" + time + "Z\"";
    }

    @Test
    void aFilterWritesItsStreamForReplayAndSubscription() {
        for (String p :
                List.of(
                        "ann,p1,1500,12:00:00",
                        "bob,p1,20,12:10:00",
                        "ann,p2,2000,12:20:00",
                        "cid,p1,5,13:05:00")) {
            String[] f = p.split(",");
            post(
                    "purchases",
                    "{\"user_id\": \"%s\", \"product_id\": \"%s\", \"amount\": %s, \"event_time\": %s}"
                            .formatted(f[0], f[1], f[2], at(f[3])));
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("high_value_purchases", "ann"))
                                        .extracting(e -> e.get("amount").asDouble())
                                        .containsExactly(1500.0, 2000.0));
        assertThat(replay("high_value_purchases", "bob")).isEmpty();

        List<String> received = subscribeAndCollect("high_value_purchases" + x, 2);
        assertThat(received).hasSize(2).allMatch(data -> data.contains("\"key\":\"ann\""));

        // Re-keyed by product, one-hour windows: p1 has 12:00 and 12:10 in one window, 13:05 in the
        // next.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("revenue_by_product", "p1"))
                                        .extracting(
                                                e ->
                                                        e.get("purchase_count").asLong()
                                                                + "/"
                                                                + e.get("total_revenue").asDouble())
                                        .contains("2/1520.0", "1/5.0")
                                        .doesNotContain("3/1525.0"));
    }

    @Test
    void tumblingHoppingAndSessionWindowsRunOnTheCluster() {
        for (String v :
                List.of(
                        "ann,home,12:00:30",
                        "bob,home,12:01:00",
                        "ann,cart,12:02:00",
                        "cid,home,12:07:00")) {
            String[] f = v.split(",");
            post(
                    "page_view_events",
                    "{\"user_id\": \"%s\", \"page_url\": \"%s\", \"event_time\": %s}"
                            .formatted(f[0], f[1], at(f[2])));
        }
        for (String r : List.of("r1,100,12:00:30", "r2,300,12:00:45", "r3,200,12:05:00")) {
            String[] f = r.split(",");
            post(
                    "api_requests",
                    "{\"request_id\": \"%s\", \"response_time_ms\": %s, \"event_time\": %s}"
                            .formatted(f[0], f[1], at(f[2])));
        }
        for (String a : List.of("login,12:00:00", "view,12:05:00", "logout,12:30:00")) {
            String[] f = a.split(",");
            post(
                    "user_activities",
                    "{\"user_id\": \"ann\", \"action_type\": \"%s\", \"event_time\": %s}"
                            .formatted(f[0], at(f[1])));
        }

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(replay("page_views", "home"))
                                    .extracting(e -> e.get("view_count").asLong())
                                    .contains(2L, 1L)
                                    .doesNotContain(3L);
                            assertThat(replay("page_views", "cart"))
                                    .extracting(e -> e.get("view_count").asLong())
                                    .containsExactly(1L);
                        });
        // No GROUP BY: one result per window for the whole stream, under the key "all". The windows
        // starting 11:56 to 12:00 hold all three requests.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("sliding_averages", "all"))
                                        .extracting(e -> e.get("avg_response_time").asDouble())
                                        .contains(100.0, 200.0));
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("user_sessions", "ann"))
                                        .extracting(
                                                e ->
                                                        e.get("actions_in_session").asLong()
                                                                + ":"
                                                                + e.get("actions").toString())
                                        .containsExactly(
                                                "1:[\"login\"]",
                                                "2:[\"login\",\"view\"]",
                                                "1:[\"logout\"]"));
    }

    @Test
    void anEventStoreFilledByInsertFeedsTheBalancesTable() {
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            var row = node.get("/v1/tables/account_balances" + x + "/keys/acct123");
                            assertThat(row.status()).isEqualTo(200);
                            assertThat(row.body().get("row").get("balance").asDouble())
                                    .isEqualTo(300.0);
                        });
        assertThat(replay("account_transactions", "acct123"))
                .extracting(e -> e.get("event_type").asText())
                .containsExactly("deposit", "withdrawal");
        var bad =
                node.post(
                        "/v1/sql",
                        "INSERT INTO account_transactions" + x + " VALUES ('acct9', 'deposit');",
                        "text/plain");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("statements").get(0).get("detail").asText()).contains("values");
        assertThat(replay("account_transactions", "acct9")).isEmpty();
    }

    /** Subscribes to a whole stream and returns the data of the first {@code count} events. */
    private List<String> subscribeAndCollect(String stream, int count) {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + node.server().httpPort()
                                                + "/v1/streams/"
                                                + stream
                                                + "/subscribe"))
                        .build();
        HttpResponse<Stream<String>> response =
                HttpClient.newHttpClient()
                        .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                        .join();
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = new CopyOnWriteArrayList<>();
        try (Stream<String> lines = response.body()) {
            CompletableFuture.runAsync(
                    () -> {
                        try {
                            lines.filter(l -> l.startsWith("data:")).forEach(data::add);
                        } catch (RuntimeException closed) {
                            // closed below
                        }
                    });
            await().atMost(WAIT).until(() -> data.size() >= count);
        }
        return List.copyOf(data);
    }
}
