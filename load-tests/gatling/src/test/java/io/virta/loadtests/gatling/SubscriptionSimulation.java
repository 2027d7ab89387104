package io.virta.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.http.action.sse.SseInboundMessage;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Subscription fan-out: {@code subscribers} clients subscribe to one stream over Server-Sent Events
 * ({@code GET /v1/streams/<s>/subscribe}, the whole stream from its start), then {@code events}
 * events are posted at {@code rate} per second; every subscriber must receive every event whose
 * post was acknowledged, each within {@code eventTimeoutSeconds} of the one before, or it fails and
 * stops. Each event carries the time it was posted: the delivery latency (posted to received, per
 * subscriber and event) is printed as percentiles after the run, and the run fails unless every
 * delivery arrived and its p99 is under {@code deliveryP99Ms}.
 *
 * <p>Properties (defaults): {@code subscribers} (200), {@code events} (1000), {@code rate} (50),
 * {@code eventTimeoutSeconds} (30); SLOs {@code p99Ms} (500, the posts), {@code deliveryP99Ms}
 * (2000), {@code maxErrorPercent} (0.0).
 */
public class SubscriptionSimulation extends Simulation {
    private final int subscribers = VirtaTarget.intProperty("subscribers", 200);
    private final int events = VirtaTarget.intProperty("events", 1000);
    private final double rate = VirtaTarget.doubleProperty("rate", 50);
    private final String stream = VirtaTarget.fresh("gatling_fanout");
    private final AtomicLong sequence = new AtomicLong();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private static final Pattern SENT = Pattern.compile("\"sent\":(\\d+)");
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger incomplete = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();

    {
        long quietLimit = VirtaTarget.seconds("eventTimeoutSeconds", 30).toMillis();
        // Gatling keeps the events no check waits for in a buffer; the subscriber drains it every
        // 200 ms, so every event counts, however close together they arrive.
        ScenarioBuilder subscriber =
                scenario("subscriber")
                        .exec(sse("subscribe").get("/v1/streams/" + stream + "/subscribe"))
                        .exec(
                                session ->
                                        session.set("received", 0)
                                                .set("lastAt", System.currentTimeMillis()))
                        .asLongAs(
                                session ->
                                        session.getInt("received") < awaited()
                                                && System.currentTimeMillis()
                                                                - session.getLong("lastAt")
                                                        < quietLimit)
                        .on(
                                pause(Duration.ofMillis(200))
                                        .exec(sse.processUnmatchedMessages(this::received)))
                        .exec(
                                session -> {
                                    if (session.getInt("received") < awaited()) {
                                        incomplete.incrementAndGet();
                                    }
                                    return session;
                                })
                        .exec(sse("close").close());
        ScenarioBuilder producer =
                scenario("producer")
                        .exec(
                                http("post event")
                                        .post("/v1/streams/" + stream + "/events")
                                        .header("Content-Type", "application/json")
                                        .body(StringBody(session -> event()))
                                        .check(status().is(200)))
                        .exec(
                                session -> {
                                    if (!session.isFailed()) {
                                        acknowledged.incrementAndGet();
                                    }
                                    posted.incrementAndGet();
                                    return session;
                                });
        long produceMillis = (long) (events * 1000 / rate);
        setUp(
                        subscriber.injectOpen(atOnceUsers(subscribers)),
                        producer.injectOpen(
                                // The subscribers connect first.
                                nothingFor(Duration.ofSeconds(5)),
                                rampUsers(events).during(Duration.ofMillis(produceMillis))))
                .protocols(
                        http.baseUrl(VirtaTarget.BASE_URL)
                                .sseUnmatchedInboundMessageBufferSize(events + 100))
                .assertions(
                        global().responseTime()
                                .percentile(99.0)
                                .lt(VirtaTarget.intProperty("p99Ms", 500)),
                        global().failedRequests()
                                .percent()
                                .lte(VirtaTarget.doubleProperty("maxErrorPercent", 0.0)));
    }

    /** Counts the events among {@code messages} and records their delivery latency. */
    private Session received(List<SseInboundMessage> messages, Session session) {
        int received = session.getInt("received");
        for (SseInboundMessage message : messages) {
            Matcher sent = SENT.matcher(message.message());
            if (sent.find()) {
                latencies.add(message.timestamp() - Long.parseLong(sent.group(1)));
                received++;
            }
        }
        return received == session.getInt("received")
                ? session
                : session.set("received", received).set("lastAt", System.currentTimeMillis());
    }

    /** The events a subscriber waits for: all, until the producer is done; then those stored. */
    private int awaited() {
        return posted.get() < events ? events : acknowledged.get();
    }

    private String event() {
        return "{\"usr\":\"u"
                + (sequence.incrementAndGet() % 100)
                + "\",\"sent\":"
                + System.currentTimeMillis()
                + "}";
    }

    @Override
    public void before() {
        VirtaTarget.call("PUT", "/v1/streams/" + stream, "application/json", "{\"key\": \"/usr\"}");
        System.out.printf(
                "Fan-out on %s: %d subscribers, %d events at %.0f/s%n",
                stream, subscribers, events, rate);
    }

    @Override
    public void after() {
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        long expected = (long) subscribers * acknowledged.get();
        System.out.printf(
                "Delivery latency (posted -> received by a subscriber), %,d of %,d deliveries"
                        + " (%d subscribers x %d acknowledged events): p50 %d ms, p99 %d ms, max"
                        + " %d ms%n",
                sorted.size(),
                expected,
                subscribers,
                acknowledged.get(),
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        int slo = VirtaTarget.intProperty("deliveryP99Ms", 2000);
        if (incomplete.get() > 0 || sorted.size() < expected || percentile(sorted, 99) >= slo) {
            throw new IllegalStateException(
                    "fan-out SLO missed: "
                            + sorted.size()
                            + " of "
                            + expected
                            + " deliveries, p99 "
                            + percentile(sorted, 99)
                            + " ms (SLO < "
                            + slo
                            + " ms), "
                            + incomplete.get()
                            + " subscribers gave up after eventTimeoutSeconds without an event");
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank)));
    }
}
