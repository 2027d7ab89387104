package io.virta.loadtests;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.typesafe.config.ConfigFactory;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.gateway.VirtaServer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Durable ingest: events posted as NDJSON to one Virta node until every one is acknowledged
 * durable, next to the raw rate of async single-row inserts by the Cassandra driver into the same
 * Cassandra (the ceiling), in the same run, for each number of keys asked for.
 *
 * <p>System properties (defaults): {@code events} (100000), {@code keys}, a comma-separated list of
 * key counts, each measured in turn ({@code 100,10000}), {@code batch} (1000 events a request),
 * {@code concurrency} (4 requests in flight), {@code rawInFlight} (128 inserts in flight), {@code
 * cassandraPort} (29042), {@code results} (a file for {@link ComparisonRows}). Starts its own
 * Cassandra under {@code target/bench-cassandra}, emptied first (a catalog left there by another
 * harness would start its connectors here too), and its own node, and stops both. p99 latencies are
 * per request for Virta (a request carries {@code batch} events) and per insert for the driver.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 100_000);
        List<Integer> keyCounts =
                java.util.Arrays.stream(System.getProperty("keys", "100,10000").split(","))
                        .map(String::trim)
                        .map(Integer::valueOf)
                        .toList();
        int batch = Integer.getInteger("batch", 1_000);
        int concurrency = Integer.getInteger("concurrency", 4);
        int rawInFlight = Integer.getInteger("rawInFlight", 128);
        int port = Integer.getInteger("cassandraPort", 29042);

        WindowedCountBenchmark.deleteTree(Path.of("target/bench-cassandra"));
        EmbeddedCassandra cassandra =
                EmbeddedCassandra.start(
                        EmbeddedCassandraSettings.create(
                                        port, port - 1000, Path.of("target/bench-cassandra"))
                                .withHeapSizeMiB(1024));
        VirtaServer server =
                VirtaServer.start(
                        ConfigFactory.parseString(
                                        "virta.gateway.http.port = 0\n"
                                                + "pekko.remote.artery.canonical.port = 0\n"
                                                + "virta.gateway.max-body-size = 64MiB\n"
                                                + "virta.cassandra.contact-points = \""
                                                + cassandra.contactPoint()
                                                + "\"")
                                .withFallback(ConfigFactory.load()));
        try (CqlSession session =
                CqlSession.builder()
                        // Contact points set here replace those of the server's application.conf.
                        .withConfigLoader(
                                DriverConfigLoader.programmaticBuilder()
                                        .withStringList(
                                                DefaultDriverOption.CONTACT_POINTS,
                                                List.of(cassandra.contactPoint()))
                                        .withString(
                                                DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER,
                                                "datacenter1")
                                        .build())
                        .build()) {
            NdjsonPoster poster = new NdjsonPoster(server.httpPort());
            RawInserts raw = new RawInserts(session);

            // Warm-up of both paths (JIT, keyspaces, entity start-up), not reported.
            poster.run(stream(poster), 5_000, 1_000, batch, concurrency);
            raw.run(5_000, 1_000, rawInFlight);

            System.out.printf(
                    "%nmachine: %d cores, %s %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"));
            for (int keys : keyCounts) {
                RawResult before = raw.run(events, keys, rawInFlight);
                NdjsonPoster.Result virta =
                        poster.run(stream(poster), events, keys, batch, concurrency);
                RawResult after = raw.run(events, keys, rawInFlight);
                double rawRate = (before.rowsPerSecond() + after.rowsPerSecond()) / 2;
                double rawP99 = Math.max(before.p99Millis(), after.p99Millis());
                System.out.printf(
                        "%n%,d events over %,d keys%n"
                                + "virta   : NDJSON (%,d a request, %d in flight): %,.0f events/s,"
                                + " p99 %,.0f ms a request (%d requests retried after 503)%n"
                                + "raw CQL : async single-row inserts, %d in flight: %,.0f rows/s"
                                + " before, %,.0f after; p99 %,.1f ms an insert%n"
                                + "ratio   : virta / raw = %.2f (against the mean of both raw runs)%n",
                        events,
                        keys,
                        batch,
                        concurrency,
                        virta.eventsPerSecond(),
                        virta.p99Millis(),
                        virta.retries(),
                        rawInFlight,
                        before.rowsPerSecond(),
                        after.rowsPerSecond(),
                        rawP99,
                        virta.eventsPerSecond() / rawRate);
                String section = String.format("durable ingest, %,d keys", keys);
                String rawEngine = "Cassandra driver, async inserts";
                String virtaEngine = "Virta, HTTP NDJSON";
                ComparisonRows.add(section, rawEngine, "throughput", rawRate, "events/s", true);
                ComparisonRows.add(
                        section,
                        virtaEngine,
                        "throughput",
                        virta.eventsPerSecond(),
                        "events/s",
                        false);
                ComparisonRows.add(section, rawEngine, "p99 latency", rawP99, "ms/insert", true);
                ComparisonRows.add(
                        section,
                        virtaEngine,
                        "p99 latency",
                        virta.p99Millis(),
                        String.format("ms/request of %,d", batch),
                        false);
            }
        } finally {
            server.close();
            cassandra.stop();
        }
    }

    private static String stream(NdjsonPoster poster) {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        poster.createStream(name);
        return name;
    }

    /** Async single-row inserts with a bound on those in flight. */
    static final class RawInserts {
        private final CqlSession session;
        private final PreparedStatement insert;

        RawInserts(CqlSession session) {
            this.session = session;
            session.execute(
                    "CREATE KEYSPACE IF NOT EXISTS bench_raw WITH replication ="
                            + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute(
                    "CREATE TABLE IF NOT EXISTS bench_raw.events (stream text, key text, seq bigint,"
                            + " id text, payload text, PRIMARY KEY ((stream, key), seq))");
            insert =
                    session.prepare(
                            "INSERT INTO bench_raw.events (stream, key, seq, id, payload)"
                                    + " VALUES (?, ?, ?, ?, ?)");
        }

        /** Inserts {@code rows} rows; their rate and the 99th percentile of an insert's latency. */
        RawResult run(int rows, int keys, int inFlight) throws InterruptedException {
            String stream = UUID.randomUUID().toString();
            Semaphore permits = new Semaphore(inFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] latencies = new long[rows];
            long start = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                permits.acquire();
                int row = i;
                long sent = System.nanoTime();
                String key = "key-" + (i % keys);
                session.executeAsync(
                                insert.bind(
                                        stream,
                                        key,
                                        (long) (i / keys + 1),
                                        "e-" + i,
                                        NdjsonPoster.payload(i, key)))
                        .whenComplete(
                                (rs, error) -> {
                                    latencies[row] = System.nanoTime() - sent;
                                    if (error != null) {
                                        failure.compareAndSet(null, error);
                                    }
                                    permits.release();
                                });
            }
            permits.acquire(inFlight);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("a raw insert failed", failure.get());
            }
            return new RawResult(rows / seconds, Percentiles.p99Millis(latencies));
        }
    }

    /** Rows inserted per second, and the 99th percentile of an insert's latency. */
    record RawResult(double rowsPerSecond, double p99Millis) {}
}
