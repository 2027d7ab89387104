package io.virta.connectors.devservices;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EmbeddedPulsar} runs Pulsar standalone: its three ports on 127.0.0.1, where it keeps
 * its data and logs, its heap and how long starting and stopping may take.
 *
 * <p>Immutable and validated on construction; every {@code withX} method returns a validated copy.
 * The data directory is stored as an absolute, normalized path.
 *
 * <pre>{@code
 * EmbeddedPulsarSettings settings =
 *     EmbeddedPulsarSettings.create(6650, 8081, 3181, Path.of("target/pulsar"))
 *         .withHeapSizeMiB(512)
 *         .withStartTimeout(Duration.ofMinutes(2));
 * }</pre>
 *
 * @param port the binary protocol port that clients use ({@code pulsar://127.0.0.1:<port>})
 * @param webPort the HTTP port of the admin REST API ({@code http://127.0.0.1:<webPort>})
 * @param bookkeeperPort the port of the embedded BookKeeper bookie
 * @param dataDirectory root of the metadata store ({@code metadata/}), the bookie's journal and
 *     ledgers ({@code bookkeeper/}), logs ({@code logs/}) and generated configuration ({@code
 *     conf/})
 * @param heapSizeMiB maximum heap of the Pulsar JVM ({@code -Xmx}), at least 256; direct memory
 *     (broker and bookie caches) is capped at the same size
 * @param startTimeout longest wait from launching Pulsar until its admin API answers
 * @param stopTimeout longest wait after SIGTERM before the process is killed
 */
public record EmbeddedPulsarSettings(
        int port,
        int webPort,
        int bookkeeperPort,
        Path dataDirectory,
        int heapSizeMiB,
        Duration startTimeout,
        Duration stopTimeout) {

    /** Path of this settings block in the configuration, used by {@link #fromConfig(Config)}. */
    public static final String CONFIG_PATH = "virta.dev.pulsar";

    /** Heap of the Pulsar JVM unless set otherwise: 512 MiB. */
    public static final int DEFAULT_HEAP_SIZE_MIB = 512;

    /** Longest wait for Pulsar to answer unless set otherwise: 90 s (it takes 10-30 s). */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    /** Longest wait for a graceful stop before Pulsar is killed unless set otherwise: 30 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Below this the broker, the bookie and the metadata store do not fit together. */
    private static final int MIN_HEAP_SIZE_MIB = 256;

    /**
     * Validates every component.
     *
     * @throws IllegalArgumentException if a port is outside 1..65535, two ports are equal, the heap
     *     is below 256 MiB or a timeout is not positive
     * @throws NullPointerException if the data directory or a timeout is null
     */
    public EmbeddedPulsarSettings {
        requirePort(port, "port");
        requirePort(webPort, "webPort");
        requirePort(bookkeeperPort, "bookkeeperPort");
        if (port == webPort || port == bookkeeperPort || webPort == bookkeeperPort) {
            throw new IllegalArgumentException(
                    "port, webPort and bookkeeperPort must differ, were "
                            + port
                            + ", "
                            + webPort
                            + " and "
                            + bookkeeperPort);
        }
        dataDirectory =
                Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        if (heapSizeMiB < MIN_HEAP_SIZE_MIB) {
            throw new IllegalArgumentException(
                    "heapSizeMiB must be at least " + MIN_HEAP_SIZE_MIB + ", was " + heapSizeMiB);
        }
        requirePositive(startTimeout, "startTimeout");
        requirePositive(stopTimeout, "stopTimeout");
    }

    /**
     * Settings with the given ports and data directory and the defaults for everything else.
     *
     * @param port the binary protocol port on 127.0.0.1 that clients use
     * @param webPort the admin REST API port on 127.0.0.1
     * @param bookkeeperPort the bookie's port on 127.0.0.1
     * @param dataDirectory root of Pulsar's directories; relative paths resolve against the working
     *     directory
     * @return validated settings
     */
    public static EmbeddedPulsarSettings create(
            int port, int webPort, int bookkeeperPort, Path dataDirectory) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                DEFAULT_HEAP_SIZE_MIB,
                DEFAULT_START_TIMEOUT,
                DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Reads the {@value #CONFIG_PATH} block of a root configuration, for example {@code
     * ConfigFactory.load()}. The keys and their units are documented in this module's {@code
     * reference.conf}.
     *
     * @param root the root configuration, not the block itself
     * @return validated settings
     * @throws com.typesafe.config.ConfigException if a key is missing or has the wrong type
     * @throws IllegalArgumentException if a value is out of range
     */
    public static EmbeddedPulsarSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new EmbeddedPulsarSettings(
                c.getInt("port"),
                c.getInt("web-port"),
                c.getInt("bookkeeper-port"),
                Path.of(c.getString("data-directory")),
                Math.toIntExact(c.getMemorySize("heap-size").toBytes() / (1024 * 1024)),
                c.getDuration("start-timeout"),
                c.getDuration("stop-timeout"));
    }

    /** {@code "pulsar://127.0.0.1:<port>"}, the service URL for a Pulsar client. */
    public String serviceUrl() {
        return "pulsar://" + PulsarProbe.HOST + ":" + port;
    }

    /** {@code "http://127.0.0.1:<webPort>"}, the base URL of the admin REST API. */
    public String adminUrl() {
        return "http://" + PulsarProbe.HOST + ":" + webPort;
    }

    /** A copy with another binary protocol port. */
    public EmbeddedPulsarSettings withPort(int port) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another admin REST API port. */
    public EmbeddedPulsarSettings withWebPort(int webPort) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another bookie port. */
    public EmbeddedPulsarSettings withBookkeeperPort(int bookkeeperPort) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another data directory. */
    public EmbeddedPulsarSettings withDataDirectory(Path dataDirectory) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another maximum heap, in MiB (at least 256). */
    public EmbeddedPulsarSettings withHeapSizeMiB(int heapSizeMiB) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another start timeout (positive). */
    public EmbeddedPulsarSettings withStartTimeout(Duration startTimeout) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    /** A copy with another stop timeout (positive). */
    public EmbeddedPulsarSettings withStopTimeout(Duration stopTimeout) {
        return new EmbeddedPulsarSettings(
                port,
                webPort,
                bookkeeperPort,
                dataDirectory,
                heapSizeMiB,
                startTimeout,
                stopTimeout);
    }

    private static void requirePort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535, was " + port);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
