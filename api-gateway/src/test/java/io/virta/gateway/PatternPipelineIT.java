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
 * MATCH_RECOGNIZE on the cluster: the suspicious-login example, the DDIA fraud rule re-keyed by
 * another column than the input's key, and a node killed with partial matches open.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatternPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String SUSPICIOUS =
            """
            CREATE STREAM suspicious_activity%1$s AS SELECT user_id, COLLECT_LIST(action_type) AS pattern FROM user_activities%1$s
            MATCH_RECOGNIZE (
              PARTITION BY user_id ORDER BY event_time
              MEASURES FIRST(A.event_time) AS start_time, LAST(B.event_time) AS end_time
              PATTERN (A B+ C)
              DEFINE A AS A.action_type = 'login_failure', B AS B.action_type = 'login_failure',
                     C AS C.action_type = 'login_success' AND C.ip_address != A.ip_address
            ) EMIT CHANGES;
            """;

    /** Lets {@link TestNode#kill()} stop a node the way a crash does. */
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

    private String declareSuspicious() {
        String x = "_" + UUID.randomUUID().toString().substring(0, 6);
        var reply =
                node.post(
                        "/v1/sql",
                        ("CREATE STREAM user_activities%1$s (user_id STRING, action_type STRING,"
                                                + " ip_address STRING, event_time TIMESTAMP) WITH"
                                                + " (KEY='user_id', TIMESTAMP='event_time',"
                                                + " IDLE_TIMEOUT='2 SECONDS');\n")
                                        .formatted(x)
                                + SUSPICIOUS.formatted(x),
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        return x;
    }

    private void act(String x, String user, String action, String ip, String time) {
        var reply =
                node.postJson(
                        "/v1/streams/user_activities" + x + "/events",
                        ("{\"user_id\": \"%s\", \"action_type\": \"%s\", \"ip_address\": \"%s\","
                                        + " \"event_time\": \"2024-05-01T%sZ\"}")
                                .formatted(user, action, ip, time));
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

    @Test
    void theSuspiciousLoginExampleMatchesOncePerPattern() {
        String x = declareSuspicious();
        act(x, "ann", "login_failure", "1.1.1.1", "12:00:00");
        act(x, "bob", "login_failure", "2.2.2.2", "12:00:05");
        act(x, "ann", "login_failure", "1.1.1.1", "12:00:10");
        act(x, "ann", "login_failure", "1.1.1.1", "12:00:20");
        act(x, "bob", "login_success", "2.2.2.2", "12:00:25");
        act(x, "ann", "login_success", "9.9.9.9", "12:00:30");
        act(x, "cid", "login_success", "3.3.3.3", "12:00:40");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("suspicious_activity" + x, "ann"))
                                        .singleElement()
                                        .satisfies(
                                                m ->
                                                        assertThat(m.get("pattern").toString())
                                                                .isEqualTo(
                                                                        "[\"login_failure\",\"login_failure\","
                                                                                + "\"login_failure\",\"login_success\"]")));
        // bob's success came from the same address; cid had no failure before.
        assertThat(replay("suspicious_activity" + x, "bob")).isEmpty();
        assertThat(replay("suspicious_activity" + x, "cid")).isEmpty();
    }

    @Test
    void theFraudRuleRunsReKeyedByUser() {
        String x = "_" + UUID.randomUUID().toString().substring(0, 6);
        var reply =
                node.post(
                        "/v1/sql",
                        """
                        CREATE STREAM user_events%1$s (session_id STRING, user_id STRING, event_type STRING,
                          country STRING, amount DOUBLE, event_time TIMESTAMP)
                          WITH (KEY='session_id', TIMESTAMP='event_time', IDLE_TIMEOUT='2 SECONDS');
                        CREATE STREAM fraud%1$s AS SELECT user_id FROM user_events%1$s
                        MATCH_RECOGNIZE (
                          PARTITION BY user_id ORDER BY event_time
                          MEASURES L.country AS login_country, P.country AS purchase_country, P.amount AS amount
                          ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW
                          PATTERN (L X*? P) WITHIN INTERVAL '5' MINUTES
                          DEFINE L AS L.event_type = 'login',
                                 P AS P.event_type = 'purchase' AND P.country <> L.country
                        ) EMIT CHANGES;
                        """
                                .formatted(x),
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        String[][] events = {
            {"s1", "a", "login", "NO", "0", "12:00:00"},
            {"s2", "a", "view", "NO", "0", "12:01:00"},
            {"s3", "a", "purchase", "BR", "99.5", "12:02:00"},
            {"s4", "b", "login", "FR", "0", "12:03:00"},
            {"s5", "b", "purchase", "US", "10", "12:09:00"},
            {"s6", "c", "login", "DE", "0", "12:10:00"},
            {"s7", "c", "purchase", "DE", "10", "12:11:00"}
        };
        for (String[] e : events) {
            var posted =
                    node.postJson(
                            "/v1/streams/user_events" + x + "/events",
                            ("{\"session_id\": \"%s\", \"user_id\": \"%s\", \"event_type\": \"%s\","
                                            + " \"country\": \"%s\", \"amount\": %s, \"event_time\":"
                                            + " \"2024-05-01T%sZ\"}")
                                    .formatted((Object[]) e));
            assertThat(posted.status()).as(posted.raw().body()).isEqualTo(200);
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("fraud" + x, "a"))
                                        .singleElement()
                                        .satisfies(
                                                m -> {
                                                    assertThat(m.get("login_country").asText())
                                                            .isEqualTo("NO");
                                                    assertThat(m.get("purchase_country").asText())
                                                            .isEqualTo("BR");
                                                }));
        // b bought after more than five minutes; c in the same country.
        assertThat(replay("fraud" + x, "b")).isEmpty();
        assertThat(replay("fraud" + x, "c")).isEmpty();
    }

    @Test
    void aNodeKilledWithPartialMatchesOpenFinishesThemAfterARestart() {
        String x = declareSuspicious();
        act(x, "dan", "login_failure", "1.1.1.1", "13:00:00");
        act(x, "dan", "login_failure", "1.1.1.1", "13:00:10");

        node.kill();
        node = TestNode.start(SharedCassandra.contactPoint(), CRASHABLE);

        act(x, "dan", "login_failure", "1.1.1.1", "13:00:20");
        act(x, "dan", "login_success", "8.8.8.8", "13:00:30");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(replay("suspicious_activity" + x, "dan"))
                                        .singleElement()
                                        .satisfies(m -> assertThat(m.get("pattern")).hasSize(4)));
    }
}
