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
 * Windows on the cluster: the stream's watermark closes a quiet key's window when other keys move
 * the stream on, the idle timeout closes windows when the whole stream is quiet, also across a node
 * restart, and each final result is emitted once. Windows after re-keying run on a clock of their
 * own; rows that come after their window closed go to the {@code <name>_late} stream.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WindowedPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    /** Declares a stream and a per-minute count over it; returns {clicks, counts}. */
    private String[] declare(String idleTimeout) {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String clicks = "clicks_" + s;
        String counts = "per_min_" + s;
        var reply =
                node.post(
                        "/v1/sql",
                        "CREATE STREAM "
                                + clicks
                                + " (usr STRING, ts TIMESTAMP)"
                                + " WITH (KEY='usr', TIMESTAMP='ts', IDLE_TIMEOUT='"
                                + idleTimeout
                                + "');\n"
                                + "CREATE TABLE "
                                + counts
                                + " AS SELECT usr, COUNT(*) AS n FROM "
                                + clicks
                                + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;",
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        return new String[] {clicks, counts};
    }

    private void click(String stream, String user, String time) {
        var reply =
                node.postJson(
                        "/v1/streams/" + stream + "/events",
                        "{\"usr\": \"" + user + "\", \"ts\": \"2024-05-01T" + time + "Z\"}");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    }

    private List<Long> counts(String table, String user) {
        JsonNode body = node.get("/v1/streams/" + table + "/keys/" + user + "/events").body();
        return StreamSupport.stream(body.get("events").spliterator(), false)
                .map(e -> e.get("payload").get("n").asLong())
                .toList();
    }

    @Test
    void aQuietKeysWindowClosesWhenOtherKeysMoveTheStreamOnAndIsEmittedOnce() {
        String[] names = declare("1 HOUR");
        click(names[0], "ann", "12:00:10");
        click(names[0], "ann", "12:00:40");
        click(names[0], "bob", "12:00:20");

        click(names[0], "bob", "12:01:30");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "ann")).containsExactly(2L));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "bob")).containsExactly(1L));

        click(names[0], "cid", "12:03:00");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "bob")).containsExactly(1L, 1L));
        assertThat(counts(names[1], "ann")).containsExactly(2L);
    }

    @Test
    void theIdleTimeoutClosesWindowsWhenTheWholeStreamIsQuiet() {
        String[] names = declare("2 SECONDS");
        click(names[0], "dan", "12:10:59.500");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "dan")).containsExactly(1L));
    }

    @Test
    void sessionWindowsMergeAndCloseOnTheCluster() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String visits = "visits_" + s;
        String sessions = "sessions_" + s;
        var reply =
                node.post(
                        "/v1/sql",
                        "CREATE STREAM "
                                + visits
                                + " (usr STRING, page STRING, ts TIMESTAMP)"
                                + " WITH (KEY='usr', TIMESTAMP='ts', OUT_OF_ORDERNESS='1 MINUTE',"
                                + " IDLE_TIMEOUT='1 HOUR');\n"
                                + "CREATE TABLE "
                                + sessions
                                + " AS SELECT usr, COUNT(*) AS n,"
                                + " COLLECT_LIST(page) AS pages FROM "
                                + visits
                                + " WINDOW SESSION (30 SECONDS) GROUP BY usr EMIT FINAL;",
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        String events = "/v1/streams/" + visits + "/events";
        for (String[] visit :
                new String[][] {
                    {"a", "12:00:00"}, {"c", "12:00:40"}, {"b", "12:00:20"}, {"d", "12:05:00"}
                }) {
            var posted =
                    node.postJson(
                            events,
                            "{\"usr\": \"fay\", \"page\": \""
                                    + visit[0]
                                    + "\", \"ts\": \"2024-05-01T"
                                    + visit[1]
                                    + "Z\"}");
            assertThat(posted.status()).isEqualTo(200);
        }
        // b arrives within the allowed out-of-orderness and bridges a and c into one session, which
        // the watermark (12:05:00 minus one minute) then closes.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            JsonNode out =
                                    node.get("/v1/streams/" + sessions + "/keys/fay/events").body();
                            assertThat(out.get("events")).hasSize(1);
                            JsonNode first = out.get("events").get(0).get("payload");
                            assertThat(first.get("n").asLong()).isEqualTo(3);
                            assertThat(first.get("pages").toString()).contains("a", "b", "c");
                        });
    }

    @Test
    void timersSurviveANodeRestart() {
        String[] names = declare("6 SECONDS");
        click(names[0], "eve", "12:20:59.500");
        click(names[0], "eve", "12:20:59.700");

        node.close();
        node = TestNode.start(SharedCassandra.contactPoint());

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "eve")).containsExactly(2L));
    }

    @Test
    void windowsAfterReKeyingCountPerNewKeyAndCloseByTheirOwnClock() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String views = "views_" + s;
        String perPage = "per_page_" + s;
        var reply =
                node.post(
                        "/v1/sql",
                        "CREATE STREAM "
                                + views
                                + " (usr STRING, page STRING, ts TIMESTAMP)"
                                + " WITH (KEY='usr', TIMESTAMP='ts', IDLE_TIMEOUT='1 HOUR');\n"
                                + "CREATE TABLE "
                                + perPage
                                + " AS SELECT page, COUNT(*) AS n FROM "
                                + views
                                + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY page EMIT FINAL;",
                        "text/plain");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        String[][] input = {
            {"ann", "home", "12:00:01"},
            {"bob", "home", "12:00:02"},
            {"cid", "cart", "12:00:03"},
            {"ann", "cart", "12:00:30"},
            {"bob", "home", "12:00:59"},
            {"dan", "help", "12:01:10"}
        };
        for (String[] view : input) {
            var posted =
                    node.postJson(
                            "/v1/streams/" + views + "/events",
                            "{\"usr\": \""
                                    + view[0]
                                    + "\", \"page\": \""
                                    + view[1]
                                    + "\", \"ts\": \"2024-05-01T"
                                    + view[2]
                                    + "Z\"}");
            assertThat(posted.status()).as(posted.raw().body()).isEqualTo(200);
        }
        // dan's view at 12:01:10 moves the groups' watermark past 12:01, closing every page's first
        // minute, each counted over all users.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(counts(perPage, "home")).containsExactly(3L);
                            assertThat(counts(perPage, "cart")).containsExactly(2L);
                        });
        assertThat(counts(perPage, "help")).isEmpty();
    }

    @Test
    void aRecordAfterItsWindowClosedGoesToTheLateStream() {
        String[] names = declare("1 HOUR");
        click(names[0], "gil", "12:30:10");
        click(names[0], "hal", "12:32:00");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(counts(names[1], "gil")).containsExactly(1L));

        click(names[0], "gil", "12:30:20");

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            JsonNode late =
                                    node.get("/v1/streams/" + names[1] + "_late/keys/gil/events")
                                            .body();
                            assertThat(late.get("events")).hasSize(1);
                            assertThat(late.get("events").get(0).get("eventTime").asText())
                                    .isEqualTo("2024-05-01T12:30:20Z");
                        });
        assertThat(counts(names[1], "gil")).containsExactly(1L);
    }
}
