package io.virta.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable ingest over HTTP: each request posts one event ({@code mode=single}) or an NDJSON batch
 * of {@code batch} events ({@code mode=ndjson}) to one stream, keys drawn at random from {@code
 * keys}; a request succeeds only with 200, which Virta answers once every event is durable. Open
 * model: requests arrive at {@code rate} per second for {@code duration} seconds ({@code
 * profile=constant}), or rising from {@code rate} to {@code rampTo} per second ({@code
 * profile=ramp}), whatever the answers' latency.
 *
 * <p>Properties (defaults): {@code mode} (single), {@code profile} (constant), {@code rate} (200),
 * {@code rampTo} (2 x rate), {@code duration} (60), {@code batch} (100), {@code keys} (10000);
 * SLOs: {@code p99Ms} (500) and {@code maxErrorPercent} (1.0). The run fails when an SLO is missed.
 */
public class IngestSimulation extends Simulation {
    private final String mode = System.getProperty("mode", "single");
    private final String profile = System.getProperty("profile", "constant");
    private final double rate = VirtaTarget.doubleProperty("rate", 200);
    private final double rampTo = VirtaTarget.doubleProperty("rampTo", 2 * rate);
    private final int batch = VirtaTarget.intProperty("batch", 100);
    private final int keys = VirtaTarget.intProperty("keys", 10_000);
    private final String stream = VirtaTarget.fresh("gatling_ingest");
    private final AtomicLong sequence = new AtomicLong();

    {
        HttpProtocolBuilder protocol = http.baseUrl(VirtaTarget.BASE_URL).shareConnections();
        boolean ndjson = mode.equals("ndjson");
        ScenarioBuilder ingest =
                scenario("ingest " + mode)
                        .exec(
                                http(ndjson ? "post NDJSON batch" : "post event")
                                        .post("/v1/streams/" + stream + "/events")
                                        .header(
                                                "Content-Type",
                                                ndjson
                                                        ? "application/x-ndjson"
                                                        : "application/json")
                                        .body(StringBody(session -> ndjson ? batch() : one()))
                                        .check(status().is(200)));
        OpenInjectionStep arrivals =
                profile.equals("ramp")
                        ? rampUsersPerSec(rate)
                                .to(rampTo)
                                .during(VirtaTarget.seconds("duration", 60))
                        : constantUsersPerSec(rate).during(VirtaTarget.seconds("duration", 60));
        setUp(ingest.injectOpen(arrivals))
                .protocols(protocol)
                .assertions(
                        global().responseTime()
                                .percentile(99.0)
                                .lt(VirtaTarget.intProperty("p99Ms", 500)),
                        global().failedRequests()
                                .percent()
                                .lte(VirtaTarget.doubleProperty("maxErrorPercent", 1.0)));
    }

    @Override
    public void before() {
        VirtaTarget.call("PUT", "/v1/streams/" + stream, "application/json", "{\"key\": \"/usr\"}");
        System.out.printf(
                "Ingest %s into %s: %s %.0f/s%s, %d keys%s%n",
                mode,
                stream,
                profile,
                rate,
                profile.equals("ramp") ? " to " + rampTo + "/s" : "",
                keys,
                mode.equals("ndjson") ? ", " + batch + " events a request" : "");
    }

    private String one() {
        return VirtaTarget.event(randomKey(), sequence.incrementAndGet());
    }

    private String batch() {
        StringBuilder body = new StringBuilder(batch * 100);
        for (int i = 0; i < batch; i++) {
            body.append(VirtaTarget.event(randomKey(), sequence.incrementAndGet())).append('\n');
        }
        return body.toString();
    }

    private String randomKey() {
        return "u" + ThreadLocalRandom.current().nextInt(keys);
    }
}
