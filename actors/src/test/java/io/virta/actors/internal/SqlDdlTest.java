package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlDdlTest {
    private static final String PURCHASES =
            "CREATE STREAM purchases (customer STRING, amount DOUBLE, ts TIMESTAMP)"
                    + " WITH (KEY='customer', TIMESTAMP='ts')";
    private static final String BIG =
            "CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000 EMIT CHANGES";

    private static CatalogState after(SqlDdl.Result result) {
        CatalogState state = CatalogState.empty();
        for (var event : result.events()) {
            state = state.apply(event);
        }
        return state;
    }

    @Test
    void declaresAnInputStreamAndAPipelineOverIt() {
        var result = SqlDdl.apply(CatalogState.empty(), List.of(PURCHASES, BIG), "earliest", 7);

        assertThat(result.outcomes())
                .extracting(SqlDdl.Outcome::status, SqlDdl.Outcome::kind, SqlDdl.Outcome::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CREATED", "STREAM", "purchases"),
                        org.assertj.core.groups.Tuple.tuple("CREATED", "PIPELINE", "big"));
        CatalogState state = after(result);
        assertThat(state.streams().get("purchases").keyField()).isEqualTo("/customer");
        assertThat(state.streams().get("purchases").timestampField()).isEqualTo("/ts");
        assertThat(state.pipelines().get("big").source()).isEqualTo("purchases");
        assertThat(state.pipelines().get("big").start()).isEqualTo("earliest");
        assertThat(SqlDdl.sqlCatalog(state).find("big")).isPresent();
    }

    @Test
    void aPipelineKeepsTheKeyGroupsItWasMadeWith() {
        var made =
                after(
                        SqlDdl.apply(
                                CatalogState.empty(),
                                List.of(PURCHASES, BIG),
                                "latest",
                                1,
                                new SqlDdl.Defaults(java.util.Map.of(), 8)));

        assertThat(made.pipelines().get("big").keyGroups()).isEqualTo(8);
        assertThat(
                        new StreamCatalog.PipelineCreated(
                                        "old", "", "purchases", "latest", List.of(), 0, 0)
                                .keyGroups())
                .as("a pipeline made before the number was recorded")
                .isEqualTo(io.virta.actors.api.TopicFeeds.LEGACY_KEY_GROUPS);
    }

    @Test
    void theSameStatementAgainIsAcknowledgedAndChangesNothing() {
        CatalogState state =
                after(SqlDdl.apply(CatalogState.empty(), List.of(PURCHASES), "latest", 1));

        var again = SqlDdl.apply(state, List.of(PURCHASES), "latest", 2);

        assertThat(again.outcomes().get(0).status()).isEqualTo("EXISTS");
        assertThat(again.events()).isEmpty();
    }

    @Test
    void aPlanningErrorIsPositionedAndStopsTheScriptWithoutEvents() {
        var result =
                SqlDdl.apply(
                        CatalogState.empty(),
                        List.of(
                                PURCHASES,
                                "CREATE STREAM s AS SELECT SUM(customer) AS x FROM purchases GROUP BY customer",
                                BIG),
                        "latest",
                        1);

        assertThat(result.outcomes())
                .extracting(SqlDdl.Outcome::status)
                .containsExactly("CREATED", "FAILED", "SKIPPED");
        SqlDdl.Outcome failure = result.outcomes().get(1);
        assertThat(failure.line()).isEqualTo(1);
        assertThat(failure.column()).isGreaterThan(20);
        assertThat(result.events()).hasSize(1);
    }

    @Test
    void anInputWithoutKeyIsRefusedWithAReason() {
        var result =
                SqlDdl.apply(CatalogState.empty(), List.of("CREATE STREAM s (a INT)"), "latest", 1);

        assertThat(result.outcomes().get(0).status()).isEqualTo("FAILED");
        assertThat(result.outcomes().get(0).detail()).contains("has no key");
        assertThat(result.events()).isEmpty();
    }

    @Test
    void aKeyOfSeveralColumnsIsRefusedWithAReason() {
        var result =
                SqlDdl.apply(
                        CatalogState.empty(),
                        List.of("CREATE STREAM s (a INT, b INT) PARTITION BY a, b"),
                        "latest",
                        1);

        assertThat(result.outcomes().get(0).status()).isEqualTo("FAILED");
        assertThat(result.outcomes().get(0).detail()).contains("several columns");
    }

    @Test
    void unsupportedStatementsSayWhat() {
        var result = SqlDdl.apply(CatalogState.empty(), List.of("DROP STREAM x"), "latest", 1);

        assertThat(result.outcomes().get(0).status()).isEqualTo("FAILED");
        assertThat(result.outcomes().get(0).detail()).contains("not supported by /v1/sql yet");
    }

    @Test
    void connectorsAreValidatedMadeAndDropped() {
        String source =
                "CREATE SOURCE CONNECTOR orders_in WITH ('type' = 'kafka', 'servers' = 'h:9092',"
                        + " 'topic' = 'orders', 'stream' = 'purchases', 'security.protocol' = 'SSL')";
        var made = SqlDdl.apply(CatalogState.empty(), List.of(PURCHASES, source), "latest", 1);
        assertThat(made.outcomes()).extracting(SqlDdl.Outcome::status).containsOnly("CREATED");
        CatalogState state = after(made);
        var spec = state.connectors().get("orders_in").spec();
        assertThat(spec.source()).isTrue();
        assertThat(spec.start()).isEqualTo("earliest");
        assertThat(spec.deadLetterTopic()).isEqualTo("orders-dlq");
        assertThat(spec.clientOptions()).containsEntry("security.protocol", "SSL");

        var noTopic =
                SqlDdl.apply(
                        state,
                        List.of(
                                "CREATE SINK CONNECTOR out WITH ('type' = 'kafka', 'servers' = 'h',"
                                        + " 'stream' = 'purchases')"),
                        "latest",
                        2);
        assertThat(noTopic.outcomes().get(0).status()).isEqualTo("FAILED");
        assertThat(noTopic.outcomes().get(0).detail()).contains("'topic'");
        var unknownStream =
                SqlDdl.apply(
                        state,
                        List.of(
                                "CREATE SINK CONNECTOR out WITH ('type' = 'pulsar', 'servers' ="
                                        + " 'pulsar://h:6650', 'topic' = 't', 'stream' = 'nope')"),
                        "latest",
                        2);
        assertThat(unknownStream.outcomes().get(0).detail()).contains("no stream named 'nope'");
        assertThat(unknownStream.events()).isEmpty();

        var dropped = SqlDdl.apply(state, List.of("DROP CONNECTOR orders_in"), "latest", 3);
        assertThat(dropped.outcomes().get(0).status()).isEqualTo("DROPPED");
        CatalogState after = state;
        for (var e : dropped.events()) {
            after = after.apply(e);
        }
        assertThat(after.connectors()).isEmpty();
    }

    @Test
    void aConnectorNamingNoServersGetsTheDeploymentsDefaultAndKeepsIt() {
        String source =
                "CREATE SOURCE CONNECTOR orders_in WITH ('type' = 'kafka', 'topic' = 'orders',"
                        + " 'stream' = 'purchases')";

        var withDefault =
                SqlDdl.apply(
                        CatalogState.empty(),
                        List.of(PURCHASES, source),
                        "latest",
                        1,
                        new SqlDdl.Defaults(java.util.Map.of("kafka", "kafka-0.data:9092"), 16));
        var withoutDefault =
                SqlDdl.apply(CatalogState.empty(), List.of(PURCHASES, source), "latest", 1);

        assertThat(after(withDefault).connectors().get("orders_in").spec().servers())
                .isEqualTo("kafka-0.data:9092");
        assertThat(withoutDefault.outcomes().get(1).status()).isEqualTo("FAILED");
        assertThat(withoutDefault.outcomes().get(1).detail())
                .contains("option 'servers' is missing")
                .contains("no default kafka servers");
    }
}
