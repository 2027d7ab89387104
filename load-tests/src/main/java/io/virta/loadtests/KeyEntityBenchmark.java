package io.virta.loadtests;

import com.typesafe.config.ConfigFactory;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.actors.internal.KeyEntity;
import io.virta.gateway.VirtaServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What a key entity costs to bring back and to keep: the recovery of one key with many events, with
 * and without snapshots; a cold start of many keys (each stored before, none in memory); and heap
 * per active and per passivated key. One Cassandra, started here; several Virta nodes in this JVM
 * one after the other on it, so that each recovery reads Cassandra, never memory.
 *
 * <ol>
 *   <li>Node 1 (snapshots every 1,000 events): {@code longEvents} events to one key; then one event
 *       to each of {@code keys} new keys, the heap measured before and after (all keys active).
 *   <li>Node 2 (snapshots off): the same {@code longEvents} events to another key.
 *   <li>Node 3: one event more to each long key, timed until durable: its recovery (snapshot and
 *       the events after it, or every event); then one event more to each of the {@code keys} keys
 *       (cold: each recovers from Cassandra), then once more (warm).
 *   <li>Node 4 (keys passivate after 5 s idle): one event to each of {@code keys} new keys; once no
 *       key entity is left in memory, the heap measured again against the one before.
 * </ol>
 *
 * <p>Heap figures are used heap after a full GC, as the JVM reports it; they include everything the
 * node keeps for the keys (entities, sharding, the journal plugin's caches).
 *
 * <p>System properties (defaults): {@code longEvents} (100000), {@code keys} (100000), {@code
 * batch} (1000 events a request), {@code concurrency} (4 requests in flight), {@code cassandraPort}
 * (29042). Run with {@code -Xmx3g}: 100,000 active keys need room.
 */
public final class KeyEntityBenchmark {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeyEntityBenchmark() {}

    public static void main(String[] args) throws Exception {
        int longEvents = Integer.getInteger("longEvents", 100_000);
        int keys = Integer.getInteger("keys", 100_000);
        int batch = Integer.getInteger("batch", 1_000);
        int concurrency = Integer.getInteger("concurrency", 4);
        int port = Integer.getInteger("cassandraPort", 29042);
        WindowedCountBenchmark.deleteTree(Path.of("target/bench-cassandra"));
        EmbeddedCassandra cassandra =
                EmbeddedCassandra.start(
                        EmbeddedCassandraSettings.create(
                                        port, port - 1000, Path.of("target/bench-cassandra"))
                                .withHeapSizeMiB(1024));
        String run = UUID.randomUUID().toString().substring(0, 6);
        String snapshotted = "long_snap_" + run;
        String unsnapshotted = "long_nosnap_" + run;
        String many = "many_" + run;
        try {
            long activeBytes;
            double newKeysRate;
            try (VirtaServer node = node(cassandra, 1_000, "10m")) {
                NdjsonPoster poster = new NdjsonPoster(node.httpPort());
                poster.createStream(snapshotted);
                poster.run(snapshotted, longEvents, 1, batch, concurrency);
                poster.createStream(many);
                long before = heapAfterGc();
                newKeysRate = poster.run(many, keys, keys, batch, concurrency).eventsPerSecond();
                awaitEntities(node, keys + 1);
                activeBytes = heapAfterGc() - before;
            }
            try (VirtaServer node = node(cassandra, Integer.MAX_VALUE, "10m")) {
                NdjsonPoster poster = new NdjsonPoster(node.httpPort());
                poster.createStream(unsnapshotted);
                poster.run(unsnapshotted, longEvents, 1, batch, concurrency);
            }
            double withSnapshots;
            double withoutSnapshots;
            double coldRate;
            double warmRate;
            try (VirtaServer node = node(cassandra, 1_000, "10m")) {
                NdjsonPoster poster = new NdjsonPoster(node.httpPort());
                withSnapshots = recoverOneKey(node, snapshotted, longEvents);
                withoutSnapshots = recoverOneKey(node, unsnapshotted, longEvents);
                coldRate =
                        poster.run(many, keys, keys, batch, concurrency, "cold-").eventsPerSecond();
                warmRate =
                        poster.run(many, keys, keys, batch, concurrency, "warm-").eventsPerSecond();
            }
            long passivatedBytes;
            try (VirtaServer node = node(cassandra, 1_000, "5s")) {
                NdjsonPoster poster = new NdjsonPoster(node.httpPort());
                String idle = "idle_" + run;
                poster.createStream(idle);
                long before = heapAfterGc();
                poster.run(idle, keys, keys, batch, concurrency);
                awaitEntities(node, 0);
                passivatedBytes = heapAfterGc() - before;
            }

            System.out.printf(
                    "%nmachine: %d cores, %s %s, max heap %d MiB%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(
                    "recovery of one key with %,d events, snapshots every 1,000: %,.2f s%n",
                    longEvents, withSnapshots);
            System.out.printf(
                    "recovery of one key with %,d events, no snapshot        : %,.2f s (%.1f x)%n",
                    longEvents, withoutSnapshots, withoutSnapshots / withSnapshots);
            System.out.printf(
                    "%,d keys, one event each: new keys %,.0f/s, cold (stored, not in memory)"
                            + " %,.0f/s, warm (in memory) %,.0f/s; cold start of all %,.1f s%n",
                    keys, newKeysRate, coldRate, warmRate, keys / coldRate);
            System.out.printf(
                    "heap per active key: %,d bytes; per passivated key: %,d bytes (%,d keys)%n",
                    activeBytes / keys, passivatedBytes / keys, keys);
            String recovery = String.format("recovery, one key of %,d events", longEvents);
            ComparisonRows.add(
                    recovery, "Virta, snapshot every 1,000", "time", withSnapshots, "s", true);
            ComparisonRows.add(
                    recovery, "Virta, no snapshot", "time", withoutSnapshots, "s", false);
            String coldStart = String.format("%,d keys, one event each", keys);
            ComparisonRows.add(
                    coldStart, "Virta, keys in memory", "throughput", warmRate, "events/s", true);
            ComparisonRows.add(
                    coldStart,
                    "Virta, keys stored, none in memory (cold start)",
                    "throughput",
                    coldRate,
                    "events/s",
                    false);
            ComparisonRows.add(
                    coldStart, "Virta, new keys", "throughput", newKeysRate, "events/s", false);
            ComparisonRows.add(
                    "heap per key",
                    "Virta, active key",
                    "heap",
                    activeBytes / keys,
                    "bytes",
                    false);
            ComparisonRows.add(
                    "heap per key",
                    "Virta, passivated key",
                    "heap",
                    passivatedBytes / keys,
                    "bytes",
                    false);
        } finally {
            cassandra.stop();
        }
        System.exit(0);
    }

    private static VirtaServer node(
            EmbeddedCassandra cassandra, int snapshotEvery, String passivateAfterIdle) {
        return VirtaServer.start(
                ConfigFactory.parseString(
                                "virta.gateway.http.port = 0\n"
                                        + "pekko.remote.artery.canonical.port = 0\n"
                                        + "virta.gateway.max-body-size = 64MiB\n"
                                        + "virta.actors.key-entity.snapshot-every = "
                                        + snapshotEvery
                                        + "\n"
                                        + "virta.actors.key-entity.passivate-after-idle = "
                                        + passivateAfterIdle
                                        + "\n"
                                        + "virta.cassandra.contact-points = \""
                                        + cassandra.contactPoint()
                                        + "\"")
                        .withFallback(ConfigFactory.load()));
    }

    /**
     * Posts one event to {@code key-0} of {@code stream}, whose entity is not in memory, until it
     * is durable (503 answers, while the entity recovers past the gateway's ask timeout, are
     * retried), checks that it became the key's event {@code stored + 1}, and returns the seconds.
     */
    private static double recoverOneKey(VirtaServer node, String stream, int stored)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + node.httpPort()
                                                + "/v1/streams/"
                                                + stream
                                                + "/events"))
                        .timeout(Duration.ofSeconds(120))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        NdjsonPoster.payload("after-", 0, "key-0")))
                        .build();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            HttpResponse<String> reply = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() == 200) {
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!reply.body().replace(" ", "").contains("\"seq\":" + (stored + 1))) {
                    throw new IllegalStateException(
                            "expected event " + (stored + 1) + " of the key: " + reply.body());
                }
                return seconds;
            }
            if (reply.statusCode() != 503 || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "recovery of "
                                + stream
                                + " failed: "
                                + reply.statusCode()
                                + " "
                                + reply.body());
            }
        }
    }

    /** Waits until this node holds exactly {@code expected} key entities (10 minutes at most). */
    private static void awaitEntities(VirtaServer node, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        int held = -1;
        while (System.nanoTime() < deadline) {
            ShardRegion.CurrentShardRegionState state =
                    AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                                    ClusterSharding.get(node.system()).shardState(),
                                    replyTo -> new GetShardRegionState(KeyEntity.TYPE_KEY, replyTo),
                                    Duration.ofSeconds(10),
                                    node.system().scheduler())
                            .toCompletableFuture()
                            .get();
            held = state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
            if (held == expected) {
                return;
            }
            Thread.sleep(500); // polls the shard state; the condition is checked above
        }
        throw new IllegalStateException(
                "expected " + expected + " key entities in memory, the node holds " + held);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
