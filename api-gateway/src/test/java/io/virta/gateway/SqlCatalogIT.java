package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SQL declarations through HTTP: the catalog they make is durable and explains failures by
 * position.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlCatalogIT {
    private TestNode node;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
    private final String purchases = "purchases_" + suffix;
    private final String big = "big_" + suffix;

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

    private TestNode.Reply sql(String script) {
        return node.post("/v1/sql", script, "text/plain");
    }

    @Test
    void declaresStreamsAndPipelinesDurablyAndIngestsIntoDeclaredStreams() {
        var reply =
                sql(
                        "CREATE STREAM "
                                + purchases
                                + " (customer STRING, amount DOUBLE, ts TIMESTAMP)"
                                + " WITH (KEY='customer', TIMESTAMP='ts');\n"
                                + "CREATE STREAM "
                                + big
                                + " AS SELECT * FROM "
                                + purchases
                                + " WHERE amount > 1000 EMIT CHANGES;");

        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        assertThat(reply.body().get("statements"))
                .extracting(s -> s.get("status").asText() + " " + s.get("kind").asText())
                .containsExactly("CREATED STREAM", "CREATED PIPELINE");

        // The declared stream takes events over HTTP, keyed and timed by its columns.
        var posted =
                node.postJson(
                        "/v1/streams/" + purchases + "/events",
                        "{\"customer\": \"ann\", \"amount\": 1500, \"ts\": \"2024-05-01T12:00:00Z\"}");
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body().get("events").get(0).get("key").asText()).isEqualTo("ann");
        var wrongType =
                node.postJson(
                        "/v1/streams/" + purchases + "/events",
                        "[{\"customer\": \"bo\", \"amount\": 1, \"ts\": 1},"
                                + " {\"customer\": \"bo\", \"amount\": \"lots\", \"ts\": 2}]");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("position").get("field").asText()).isEqualTo("/amount");
        assertThat(wrongType.body().get("position").get("index").asInt()).isEqualTo(1);
        assertThat(node.get("/v1/streams/" + purchases + "/keys/bo/events").body().get("events"))
                .isEmpty();

        node.close();
        node = TestNode.start(SharedCassandra.contactPoint());

        JsonNode pipeline = node.get("/v1/pipelines/" + big).body();
        assertThat(pipeline.get("source").asText()).isEqualTo(purchases);
        assertThat(pipeline.get("plan").toString()).contains("amount");
        assertThat(pipeline.get("state").asText()).isEqualTo("running");
        assertThat(pipeline.get("keyGroups").asInt())
                .as("virta.actors.topic-key-groups.count, kept across the restart")
                .isEqualTo(16);
        assertThat(node.get("/v1/pipelines").body().get("pipelines"))
                .extracting(p -> p.get("name").asText())
                .contains(big);
        assertThat(node.get("/v1/streams/" + big).status()).isEqualTo(200);

        assertThat(node.raw("DELETE", "/v1/pipelines/" + big).status()).isEqualTo(200);
        assertThat(node.get("/v1/pipelines/" + big).status()).isEqualTo(404);
    }

    @Test
    void failuresArePositionedWithinTheScriptAndLaterStatementsAreSkipped() {
        String other = "orders_" + suffix;
        var reply =
                sql(
                        "CREATE STREAM "
                                + other
                                + " (id STRING, total DOUBLE) WITH (KEY='id');\n"
                                + "CREATE STREAM x_"
                                + suffix
                                + " AS SELECT id, SUM(nope) AS s FROM "
                                + other
                                + " GROUP BY id;\n"
                                + "CREATE STREAM y_"
                                + suffix
                                + " AS SELECT * FROM "
                                + other
                                + ";");

        assertThat(reply.status()).isEqualTo(400);
        JsonNode statements = reply.body().get("statements");
        assertThat(statements)
                .extracting(s -> s.get("status").asText())
                .containsExactly("CREATED", "FAILED", "SKIPPED");
        assertThat(statements.get(1).get("position").get("line").asInt()).isEqualTo(2);
        assertThat(statements.get(1).get("detail").asText()).containsIgnoringCase("nope");
        assertThat(node.get("/v1/streams/y_" + suffix).status()).isEqualTo(404);
    }

    @Test
    void aSyntaxErrorSaysLineColumnAndWhatWasExpected() {
        var reply =
                sql(
                        "CREATE STREAM s_"
                                + suffix
                                + " (a INT) WITH (KEY='a');\nCREATE STREAM AS SELECT;");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").asText()).isEqualTo("invalid_sql");
        assertThat(reply.body().get("position").get("line").asInt()).isEqualTo(2);
        assertThat(node.get("/v1/streams/s_" + suffix).status())
                .as("a script with a syntax error makes nothing")
                .isEqualTo(404);
    }
}
