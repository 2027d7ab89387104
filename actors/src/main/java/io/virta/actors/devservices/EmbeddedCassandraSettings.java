package io.virta.actors.devservices;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EmbeddedCassandra} runs a single-node Apache Cassandra: its ports, where it keeps its
 * data and logs, its heap and how long starting and stopping may take.
 *
 * <p>Immutable: every {@code withX} method returns a validated copy. The data directory is stored
 * as an absolute, normalized path.
 *
 * <pre>{@code
 * EmbeddedCassandraSettings settings =
 *     EmbeddedCassandraSettings.create(9042, 7000, Path.of("target/cassandra"))
 *         .withHeapSizeMiB(256)
 *         .withStartTimeout(Duration.ofMinutes(3));
 * }</pre>
 */
public final class EmbeddedCassandraSettings {

    /** Path of this settings block in the configuration, used by {@link #fromConfig(Config)}. */
    public static final String CONFIG_PATH = "virta.dev.cassandra";

    /** Heap of the Cassandra JVM unless set otherwise: 512 MiB. */
    public static final int DEFAULT_HEAP_SIZE_MIB = 512;

    /** Longest wait for CQL to accept connections unless set otherwise: 120 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    /** Longest wait for a graceful stop before the process is killed unless set otherwise: 30 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Below this Cassandra 5.0 does not get through its startup reliably. */
    private static final int MIN_HEAP_SIZE_MIB = 128;

    private static final String DEFAULT_PROCESS_LOG = "cassandra-stdout.log";

    private final int cqlPort;
    private final int storagePort;
    private final Path dataDirectory;
    private final int heapSizeMiB;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final Path processLog; // null: <data directory>/logs/cassandra-stdout.log

    private EmbeddedCassandraSettings(
            int cqlPort,
            int storagePort,
            Path dataDirectory,
            int heapSizeMiB,
            Duration startTimeout,
            Duration stopTimeout,
            Path processLog) {
        this.cqlPort = requirePort(cqlPort, "cqlPort");
        this.storagePort = requirePort(storagePort, "storagePort");
        if (cqlPort == storagePort) {
            throw new IllegalArgumentException(
                    "cqlPort and storagePort must differ, both are " + cqlPort);
        }
        this.dataDirectory = absolute(Objects.requireNonNull(dataDirectory, "dataDirectory"));
        if (heapSizeMiB < MIN_HEAP_SIZE_MIB) {
            throw new IllegalArgumentException(
                    "heapSizeMiB must be at least " + MIN_HEAP_SIZE_MIB + ", was " + heapSizeMiB);
        }
        this.heapSizeMiB = heapSizeMiB;
        this.startTimeout = requirePositive(startTimeout, "startTimeout");
        this.stopTimeout = requirePositive(stopTimeout, "stopTimeout");
        this.processLog = processLog == null ? null : absolute(processLog);
    }

    /**
     * Settings with the given ports and data directory and the defaults for everything else.
     *
     * @param cqlPort port of the CQL native transport on 127.0.0.1 ({@code native_transport_port})
     * @param storagePort port of the inter-node transport on 127.0.0.1 ({@code storage_port})
     * @param dataDirectory root of the node's directories; relative paths resolve against the
     *     working directory
     * @return validated settings
     * @throws IllegalArgumentException if a port is outside 1..65535 or both ports are equal
     * @throws NullPointerException if {@code dataDirectory} is null
     */
    public static EmbeddedCassandraSettings create(
            int cqlPort, int storagePort, Path dataDirectory) {
        return new EmbeddedCassandraSettings(
                cqlPort,
                storagePort,
                dataDirectory,
                DEFAULT_HEAP_SIZE_MIB,
                DEFAULT_START_TIMEOUT,
                DEFAULT_STOP_TIMEOUT,
                null);
    }

    /**
     * Reads the {@value #CONFIG_PATH} block of a root configuration, for example {@code
     * ConfigFactory.load()} or {@code system.settings().config()}. The keys and their units are
     * documented in this module's {@code reference.conf}.
     *
     * @param root the root configuration, not the block itself
     * @return validated settings
     * @throws com.typesafe.config.ConfigException if a key is missing or has the wrong type
     * @throws IllegalArgumentException if a value is out of range
     */
    public static EmbeddedCassandraSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        String processLog = c.getString("process-log");
        return new EmbeddedCassandraSettings(
                c.getInt("cql-port"),
                c.getInt("storage-port"),
                Path.of(c.getString("data-directory")),
                Math.toIntExact(c.getMemorySize("heap-size").toBytes() / (1024 * 1024)),
                c.getDuration("start-timeout"),
                c.getDuration("stop-timeout"),
                processLog.isBlank() ? null : Path.of(processLog));
    }

    /** Port of the CQL native transport on 127.0.0.1. */
    public int cqlPort() {
        return cqlPort;
    }

    /** Port of the inter-node (storage) transport on 127.0.0.1. */
    public int storagePort() {
        return storagePort;
    }

    /** Absolute root of the node's data, commit log, caches, hints, logs and generated config. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Heap of the Cassandra JVM in MiB, used for both {@code -Xms} and {@code -Xmx}. */
    public int heapSizeMiB() {
        return heapSizeMiB;
    }

    /** Longest wait from spawning the process until CQL answers a query. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** Longest wait after SIGTERM before the process is killed. */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * File that receives the Cassandra process's stdout and stderr (appended to); by default {@code
     * cassandra-stdout.log} in the {@code logs} directory under the data directory. Cassandra's own
     * {@code system.log} is always written to that {@code logs} directory.
     */
    public Path processLog() {
        return processLog != null
                ? processLog
                : dataDirectory.resolve("logs").resolve(DEFAULT_PROCESS_LOG);
    }

    /** A copy with another CQL port; see {@link #create(int, int, Path)}. */
    public EmbeddedCassandraSettings withCqlPort(int port) {
        return new EmbeddedCassandraSettings(
                port,
                storagePort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout,
                processLog);
    }

    /** A copy with another storage port; see {@link #create(int, int, Path)}. */
    public EmbeddedCassandraSettings withStoragePort(int port) {
        return new EmbeddedCassandraSettings(
                cqlPort, port, dataDirectory, heapSizeMiB, startTimeout, stopTimeout, processLog);
    }

    /** A copy with another data directory; a default process log moves with it. */
    public EmbeddedCassandraSettings withDataDirectory(Path directory) {
        return new EmbeddedCassandraSettings(
                cqlPort,
                storagePort,
                directory,
                heapSizeMiB,
                startTimeout,
                stopTimeout,
                processLog);
    }

    /**
     * A copy with another heap size.
     *
     * @throws IllegalArgumentException if below 128 MiB
     */
    public EmbeddedCassandraSettings withHeapSizeMiB(int mebibytes) {
        return new EmbeddedCassandraSettings(
                cqlPort,
                storagePort,
                dataDirectory,
                mebibytes,
                startTimeout,
                stopTimeout,
                processLog);
    }

    /**
     * A copy with another start timeout.
     *
     * @throws IllegalArgumentException if not positive
     */
    public EmbeddedCassandraSettings withStartTimeout(Duration timeout) {
        return new EmbeddedCassandraSettings(
                cqlPort, storagePort, dataDirectory, heapSizeMiB, timeout, stopTimeout, processLog);
    }

    /**
     * A copy with another stop timeout.
     *
     * @throws IllegalArgumentException if not positive
     */
    public EmbeddedCassandraSettings withStopTimeout(Duration timeout) {
        return new EmbeddedCassandraSettings(
                cqlPort,
                storagePort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                timeout,
                processLog);
    }

    /** A copy whose process output goes to {@code file}; null restores the default. */
    public EmbeddedCassandraSettings withProcessLog(Path file) {
        return new EmbeddedCassandraSettings(
                cqlPort, storagePort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout, file);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedCassandraSettings other
                && cqlPort == other.cqlPort
                && storagePort == other.storagePort
                && heapSizeMiB == other.heapSizeMiB
                && dataDirectory.equals(other.dataDirectory)
                && startTimeout.equals(other.startTimeout)
                && stopTimeout.equals(other.stopTimeout)
                && Objects.equals(processLog, other.processLog);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                cqlPort,
                storagePort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout,
                processLog);
    }

    @Override
    public String toString() {
        return "EmbeddedCassandraSettings[cqlPort="
                + cqlPort
                + ", storagePort="
                + storagePort
                + ", dataDirectory="
                + dataDirectory
                + ", heapSizeMiB="
                + heapSizeMiB
                + ", startTimeout="
                + startTimeout
                + ", stopTimeout="
                + stopTimeout
                + ", processLog="
                + processLog()
                + "]";
    }

    private static int requirePort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535, was " + port);
        }
        return port;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
