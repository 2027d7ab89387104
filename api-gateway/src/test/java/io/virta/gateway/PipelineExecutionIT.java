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
 * Pipelines without windows or re-keying run on the cluster: a filter, a chained projection, a
 * per-key aggregate, backfill from the earliest event, and state that survives a restart without
 * counting twice.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineExecutionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestNode node;
    private final String s = UUID.randomUUID().toString().substring(0, 8);
    private final String purchases = "purchases_" + s;

    @BeforeAll
    void startNode() {
        node = TestNode.start(SharedCassandra.contactPoint());
        var declared =
                node.post(
                        "/v1/sql",
                        "CREATE STREAM "
                                + purchases
                                + " (customer STRING, amount DOUBLE, ts TIMESTAMP)"
                                + " WITH (KEY='customer', TIMESTAMP='ts');",
                        "text/plain");
        assertThat(declared.status()).as(declared.raw().body()).isEqualTo(200);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void post(String customer, double amount, int minute) {
        var reply =
                node.postJson(
                        "/v1/streams/" + purchases + "/events",
                        String.format(
                                "{\"customer\": \"%s\", \"amount\": %s, \"ts\": \"2024-05-01T12:%02d:00Z\"}",
                                customer, amount, minute));
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private List<JsonNode> events(TestNode on, String stream, String key) {
        JsonNode body = on.get("/v1/streams/" + stream + "/keys/" + key + "/events").body();
        return StreamSupport.stream(body.get("events").spliterator(), false)
                .map(e -> e.get("payload"))
                .toList();
    }

    private void sql(String script) {
        var reply = node.post("/v1/sql", script, "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    @Test
    void aFilterAndAChainedProjectionWriteTheirStreams() {
        String big = "big_" + s;
        String names = "names_" + s;
        sql(
                "CREATE STREAM "
                        + big
                        + " AS SELECT * FROM "
                        + purchases
                        + " WHERE amount > 1000;"
                        + "CREATE STREAM "
                        + names
                        + " AS SELECT customer, amount * 2 AS doubled FROM "
                        + big
                        + ";");

        post("ann", 1500, 1);
        post("ann", 20, 2);
        post("ann", 2500, 3);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(events(node, names, "ann"))
                                        .extracting(p -> p.get("doubled").asDouble())
                                        .containsExactly(3000.0, 5000.0));
        assertThat(events(node, big, "ann"))
                .extracting(p -> p.get("amount").asDouble())
                .containsExactly(1500.0, 2500.0);
    }

    @Test
    void aPerKeyAggregateKeepsItsStateAcrossARestartAndCountsEachEventOnce() {
        String totals = "totals_" + s;
        post("bob", 10, 1);
        sql(
                "CREATE TABLE "
                        + totals
                        + " AS SELECT customer, COUNT(*) AS n, SUM(amount) AS total"
                        + " FROM "
                        + purchases
                        + " GROUP BY customer EMIT CHANGES;");
        // Made after bob's first purchase and starting from the latest: that one is not counted.
        post("bob", 5, 2);
        post("bob", 7, 3);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events(node, totals, "bob")).hasSize(2));

        node.close();
        node = TestNode.start(SharedCassandra.contactPoint());
        post("bob", 1, 4);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(events(node, totals, "bob"))
                                        .extracting(
                                                p ->
                                                        p.get("n").asLong()
                                                                + "/"
                                                                + p.get("total").asDouble())
                                        .containsExactly("1/5.0", "2/12.0", "3/13.0"));
    }

    @Test
    void reKeyedAggregatesAndPartitioningCountEachEventOnceAcrossARestart() {
        String orders = "orders_" + s;
        String revenue = "revenue_" + s;
        String byProduct = "by_product_" + s;
        sql(
                "CREATE STREAM "
                        + orders
                        + " (customer STRING, product STRING, amount DOUBLE)"
                        + " WITH (KEY='customer');"
                        + "CREATE TABLE "
                        + revenue
                        + " AS SELECT product, SUM(amount) AS total,"
                        + " COUNT(*) AS n FROM "
                        + orders
                        + " GROUP BY product EMIT CHANGES;"
                        + "CREATE STREAM "
                        + byProduct
                        + " AS SELECT * FROM "
                        + orders
                        + " PARTITION BY product;");
        String path = "/v1/streams/" + orders + "/events";
        for (String order : List.of("ann,p1,10", "bob,p1,5", "ann,p2,3", "cid,p1,1")) {
            String[] f = order.split(",");
            var reply =
                    node.postJson(
                            path,
                            "{\"customer\": \""
                                    + f[0]
                                    + "\", \"product\": \""
                                    + f[1]
                                    + "\", \"amount\": "
                                    + f[2]
                                    + "}");
            assertThat(reply.status()).isEqualTo(200);
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            List<JsonNode> p1 = events(node, revenue, "p1");
                            assertThat(p1).hasSize(3);
                            assertThat(p1.get(2).get("total").asDouble()).isEqualTo(16.0);
                            assertThat(p1.get(2).get("n").asLong()).isEqualTo(3);
                            assertThat(events(node, revenue, "p2")).hasSize(1);
                            assertThat(events(node, byProduct, "p1")).hasSize(3);
                        });

        node.close();
        node = TestNode.start(SharedCassandra.contactPoint());
        assertThat(
                        node.postJson(
                                        path,
                                        "{\"customer\": \"bob\", \"product\": \"p1\", \"amount\": 4}")
                                .status())
                .isEqualTo(200);

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(events(node, revenue, "p1"))
                                    .extracting(
                                            p ->
                                                    p.get("n").asLong()
                                                            + "/"
                                                            + p.get("total").asDouble())
                                    .hasSize(4)
                                    .endsWith("4/20.0");
                            assertThat(events(node, byProduct, "p1")).hasSize(4);
                        });
    }

    @Test
    void aTableAnswersItsLatestRowAndTheRowAsOfAnEventTime() {
        String txns = "txns_" + s;
        String balances = "balances_" + s;
        sql(
                "CREATE STREAM "
                        + txns
                        + " (account_id STRING, event_type STRING, amount DOUBLE,"
                        + " event_time TIMESTAMP) WITH (KEY='account_id', TIMESTAMP='event_time');"
                        + "CREATE TABLE "
                        + balances
                        + " AS SELECT account_id, SUM(CASE WHEN event_type"
                        + " = 'deposit' THEN amount WHEN event_type = 'withdrawal' THEN -amount END)"
                        + " AS balance FROM "
                        + txns
                        + " GROUP BY account_id;");
        for (String txn : List.of("deposit,500,10", "withdrawal,200,11", "deposit,50,12")) {
            String[] f = txn.split(",");
            var reply =
                    node.postJson(
                            "/v1/streams/" + txns + "/events",
                            "{\"account_id\": \"acct1\", \"event_type\": \""
                                    + f[0]
                                    + "\", \"amount\": "
                                    + f[1]
                                    + ", \"event_time\": \"2024-05-01T"
                                    + f[2]
                                    + ":00:00Z\"}");
            assertThat(reply.status()).isEqualTo(200);
        }
        String row = "/v1/tables/" + balances + "/keys/acct1";

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                node.get(row)
                                                        .body()
                                                        .path("row")
                                                        .path("balance")
                                                        .asDouble())
                                        .isEqualTo(350.0));
        assertThat(
                        node.get(row + "?asOf=2024-05-01T10:30:00Z")
                                .body()
                                .get("row")
                                .get("balance")
                                .asDouble())
                .isEqualTo(500.0);
        assertThat(
                        node.get(row + "?asOf=2024-05-01T11:30:00Z")
                                .body()
                                .get("row")
                                .get("balance")
                                .asDouble())
                .isEqualTo(300.0);
        assertThat(node.get(row + "?asOf=2024-05-01T09:00:00Z").status()).isEqualTo(404);
        assertThat(node.get(row + "?asOf=yesterday").status()).isEqualTo(400);
        assertThat(node.get("/v1/tables/no_such_table/keys/acct1").status()).isEqualTo(404);
    }

    @Test
    void aQueryReadsOneKeyOfATableNowOrAsOfAnEventTimeAlsoAfterReKeying() {
        String moves = "moves_" + s;
        String perBranch = "per_branch_" + s;
        sql(
                "CREATE STREAM "
                        + moves
                        + " (account STRING, branch STRING, amount DOUBLE, ts TIMESTAMP)"
                        + " WITH (KEY='account', TIMESTAMP='ts');"
                        + "CREATE TABLE "
                        + perBranch
                        + " AS SELECT branch, SUM(amount) AS total, COUNT(*) AS n FROM "
                        + moves
                        + " GROUP BY branch;");
        for (String move :
                List.of("a1,b1,100,10:00", "a2,b1,50,11:00", "a3,b2,7,11:30", "a1,b1,25,12:00")) {
            String[] f = move.split(",");
            var reply =
                    node.postJson(
                            "/v1/streams/" + moves + "/events",
                            String.format(
                                    "{\"account\": \"%s\", \"branch\": \"%s\", \"amount\": %s,"
                                            + " \"ts\": \"2024-05-01T%s:00Z\"}",
                                    f[0], f[1], f[2], f[3]));
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        }
        String select = "SELECT branch, total FROM " + perBranch + " WHERE branch = 'b1';";
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            var answer = node.post("/v1/query", select, "text/plain");
                            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
                            assertThat(answer.body().get("rows")).hasSize(1);
                            JsonNode row = answer.body().get("rows").get(0);
                            assertThat(row.get("total").asDouble()).isEqualTo(175.0);
                            assertThat(row.get("branch").asText()).isEqualTo("b1");
                            assertThat(row.has("n")).as("only the selected columns").isFalse();
                        });

        var then =
                node.postJson(
                        "/v1/query",
                        "{\"sql\": \"SELECT * FROM "
                                + perBranch
                                + " WHERE branch = 'b1'\", \"asOf\": \"2024-05-01T11:30:00Z\"}");
        assertThat(then.status()).as(then.raw().body()).isEqualTo(200);
        assertThat(then.body().get("rows").get(0).get("total").asDouble()).isEqualTo(150.0);
        assertThat(then.body().get("rows").get(0).get("n").asLong()).isEqualTo(2);
        assertThat(
                        node.get("/v1/tables/" + perBranch + "/keys/b1?asOf=2024-05-01T10:30:00Z")
                                .body()
                                .get("row")
                                .get("total")
                                .asDouble())
                .isEqualTo(100.0);

        var filtered =
                node.post(
                        "/v1/query",
                        "SELECT * FROM " + perBranch + " WHERE branch = 'b1' AND total > 1000",
                        "text/plain");
        assertThat(filtered.body().get("rows")).isEmpty();

        var noKey = node.post("/v1/query", "SELECT * FROM " + perBranch, "text/plain");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body().get("detail").asText()).contains("WHERE branch = ");
        var notATable =
                node.post(
                        "/v1/query",
                        "SELECT * FROM " + moves + " WHERE account = 'a1'",
                        "text/plain");
        assertThat(notATable.status()).isEqualTo(400);
        assertThat(notATable.body().get("detail").asText()).contains("not a table");
        var syntax = node.post("/v1/query", "SELECT * FROM\nWHERE", "text/plain");
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.body().get("position").get("line").asInt()).isEqualTo(2);
    }

    @Test
    void aPipelineFromTheEarliestConsumesTheInputsHistory() {
        String all = "all_" + s;
        post("cid", 1, 1);
        post("cid", 2, 2);

        var reply =
                node.postJson(
                        "/v1/sql",
                        "{\"sql\": \"CREATE STREAM "
                                + all
                                + " AS SELECT customer, amount FROM "
                                + purchases
                                + ";\", \"start\": \"earliest\"}");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(events(node, all, "cid"))
                                        .extracting(p -> p.get("amount").asDouble())
                                        .containsExactly(1.0, 2.0));
    }
}
