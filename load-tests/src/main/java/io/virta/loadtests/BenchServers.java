package io.virta.loadtests;

import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.connectors.devservices.EmbeddedKafkaSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The Cassandra (1 GiB heap) and Kafka broker of a windowed-count harness, each started from empty
 * data directories under {@code target/} (a catalog left by an earlier run would start its
 * pipelines too), on the ports of the system properties {@code cassandraPort} (29042) and {@code
 * kafkaPort} (29092). Stopped on close or, at the latest, when the JVM exits.
 */
record BenchServers(
        EmbeddedCassandra cassandra,
        EmbeddedKafka kafka,
        java.util.concurrent.atomic.AtomicBoolean closed)
        implements AutoCloseable {

    static BenchServers start() throws java.io.IOException {
        int cassandraPort = Integer.getInteger("cassandraPort", 29042);
        int kafkaPort = Integer.getInteger("kafkaPort", 29092);
        for (String dir : List.of("target/bench-cassandra", "target/bench-kafka")) {
            WindowedCountBenchmark.deleteTree(Path.of(dir));
        }
        EmbeddedCassandra cassandra =
                EmbeddedCassandra.start(
                        EmbeddedCassandraSettings.create(
                                        cassandraPort,
                                        cassandraPort - 1000,
                                        Path.of("target/bench-cassandra"))
                                .withHeapSizeMiB(1024));
        EmbeddedKafka kafka =
                EmbeddedKafka.start(
                        EmbeddedKafkaSettings.create(
                                kafkaPort, kafkaPort + 1, Path.of("target/bench-kafka")));
        BenchServers servers =
                new BenchServers(cassandra, kafka, new java.util.concurrent.atomic.AtomicBoolean());
        // A harness that fails leaves no server behind for the next one to reuse (and lose its data
        // under it, as the next run empties the data directories).
        Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "bench-servers-stop"));
        return servers;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        kafka.close();
        cassandra.close();
    }
}
