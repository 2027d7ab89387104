package io.virta.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Point reads of a table: {@code GET /v1/tables/<t>/keys/<k>} of a per-key count, keys at random,
 * each answer checked to hold the key's count. Before the load, {@code keys} keys get {@code
 * eventsPerKey} events each and the run waits until the table has every key's count. Open model:
 * {@code rate} reads per second for {@code duration} seconds.
 *
 * <p>Properties (defaults): {@code rate} (500), {@code duration} (60), {@code keys} (1000), {@code
 * eventsPerKey} (5); SLOs {@code p99Ms} (100), {@code maxErrorPercent} (0.1).
 */
public class TableReadSimulation extends Simulation {
    private final int keys = VirtaTarget.intProperty("keys", 1000);
    private final int eventsPerKey = VirtaTarget.intProperty("eventsPerKey", 5);
    private final String stream = VirtaTarget.fresh("gatling_views");
    private final String table = stream + "_counts";

    {
        Iterator<Map<String, Object>> randomKeys =
                Stream.generate(
                                () ->
                                        Map.<String, Object>of(
                                                "key",
                                                "u" + ThreadLocalRandom.current().nextInt(keys)))
                        .iterator();
        ScenarioBuilder reads =
                scenario("table point reads")
                        .feed(randomKeys)
                        .exec(
                                http("read a key's row")
                                        .get("/v1/tables/" + table + "/keys/#{key}")
                                        .check(status().is(200))
                                        .check(jsonPath("$.row.n").ofInt().is(eventsPerKey)));
        setUp(
                        reads.injectOpen(
                                constantUsersPerSec(VirtaTarget.doubleProperty("rate", 500))
                                        .during(VirtaTarget.seconds("duration", 60))))
                .protocols(http.baseUrl(VirtaTarget.BASE_URL).shareConnections())
                .assertions(
                        global().responseTime()
                                .percentile(99.0)
                                .lt(VirtaTarget.intProperty("p99Ms", 100)),
                        global().failedRequests()
                                .percent()
                                .lte(VirtaTarget.doubleProperty("maxErrorPercent", 0.1)));
    }

    @Override
    public void before() {
        VirtaTarget.sql(
                """
                CREATE STREAM %1$s (usr STRING, n BIGINT, page STRING) WITH (KEY='usr');
                CREATE TABLE %2$s AS SELECT usr, COUNT(*) AS n FROM %1$s GROUP BY usr;
                """
                        .formatted(stream, table));
        StringBuilder ndjson = new StringBuilder();
        long n = 0;
        for (int round = 0; round < eventsPerKey; round++) {
            for (int k = 0; k < keys; k++) {
                ndjson.append(VirtaTarget.event("u" + k, n++)).append('\n');
                if (n % 1000 == 0) {
                    post(ndjson);
                }
            }
        }
        post(ndjson);
        // Every key's count is in the table before the reads start.
        org.awaitility.core.ConditionFactory counted =
                org.awaitility.Awaitility.await("every key counted in table " + table)
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(100));
        for (int k = 0; k < keys; k++) {
            String row = "/v1/tables/" + table + "/keys/u" + k;
            counted.until(
                    () -> VirtaTarget.tryGet(row).orElse("").contains("\"n\":" + eventsPerKey));
        }
    }

    private void post(StringBuilder ndjson) {
        if (ndjson.length() > 0) {
            VirtaTarget.call(
                    "POST",
                    "/v1/streams/" + stream + "/events",
                    "application/x-ndjson",
                    ndjson.toString());
            ndjson.setLength(0);
        }
    }
}
