package io.virta.connectors.devservices;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EmbeddedKafka} runs a single-node Kafka broker: its two ports on 127.0.0.1, where it
 * keeps its data and logs, its heap and how long starting and stopping may take.
 *
 * <p>Immutable and validated on construction; every {@code withX} method returns a validated copy.
 * The data directory is stored as an absolute, normalized path.
 *
 * <pre>{@code
 * EmbeddedKafkaSettings settings =
 *     EmbeddedKafkaSettings.create(9092, 9093, Path.of("target/kafka"))
 *         .withHeapSizeMiB(256)
 *         .withStartTimeout(Duration.ofMinutes(2));
 * }</pre>
 *
 * @param port the PLAINTEXT listener that clients use
 * @param controllerPort the KRaft CONTROLLER listener; must differ from {@code port}
 * @param dataDirectory root of the broker's data ({@code kraft/}), logs ({@code logs/}) and
 *     generated configuration ({@code conf/})
 * @param heapSizeMiB maximum heap of the broker JVM ({@code -Xmx}), at least 128
 * @param startTimeout longest wait from launching the broker until it answers clients
 * @param stopTimeout longest wait after SIGTERM before the broker is killed
 */
public record EmbeddedKafkaSettings(
        int port,
        int controllerPort,
        Path dataDirectory,
        int heapSizeMiB,
        Duration startTimeout,
        Duration stopTimeout) {

    /** Path of this settings block in the configuration, used by {@link #fromConfig(Config)}. */
    public static final String CONFIG_PATH = "virta.dev.kafka";

    /** Heap of the broker JVM unless set otherwise: 512 MiB. */
    public static final int DEFAULT_HEAP_SIZE_MIB = 512;

    /** Longest wait for the broker to answer unless set otherwise: 60 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    /** Longest wait for a graceful stop before the broker is killed unless set otherwise: 30 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Below this the broker's page-sized buffers and metadata caches leave no headroom. */
    private static final int MIN_HEAP_SIZE_MIB = 128;

    /**
     * Validates every component.
     *
     * @throws IllegalArgumentException if a port is outside 1..65535, both ports are equal, the
     *     heap is below 128 MiB or a timeout is not positive
     * @throws NullPointerException if the data directory or a timeout is null
     */
    public EmbeddedKafkaSettings {
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        if (port == controllerPort) {
            throw new IllegalArgumentException(
                    "port and controllerPort must differ, both are " + port);
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
     * @param port the PLAINTEXT listener on 127.0.0.1 that clients use
     * @param controllerPort the KRaft CONTROLLER listener on 127.0.0.1
     * @param dataDirectory root of the broker's directories; relative paths resolve against the
     *     working directory
     * @return validated settings
     */
    public static EmbeddedKafkaSettings create(int port, int controllerPort, Path dataDirectory) {
        return new EmbeddedKafkaSettings(
                port,
                controllerPort,
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
    public static EmbeddedKafkaSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new EmbeddedKafkaSettings(
                c.getInt("port"),
                c.getInt("controller-port"),
                Path.of(c.getString("data-directory")),
                Math.toIntExact(c.getMemorySize("heap-size").toBytes() / (1024 * 1024)),
                c.getDuration("start-timeout"),
                c.getDuration("stop-timeout"));
    }

    /** {@code "127.0.0.1:<port>"}, the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return KafkaProbe.HOST + ":" + port;
    }

    /** A copy with another client port. */
    public EmbeddedKafkaSettings withPort(int port) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
    }

    /** A copy with another controller port. */
    public EmbeddedKafkaSettings withControllerPort(int controllerPort) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
    }

    /** A copy with another data directory. */
    public EmbeddedKafkaSettings withDataDirectory(Path dataDirectory) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
    }

    /** A copy with another maximum heap, in MiB (at least 128). */
    public EmbeddedKafkaSettings withHeapSizeMiB(int heapSizeMiB) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
    }

    /** A copy with another start timeout (positive). */
    public EmbeddedKafkaSettings withStartTimeout(Duration startTimeout) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
    }

    /** A copy with another stop timeout (positive). */
    public EmbeddedKafkaSettings withStopTimeout(Duration stopTimeout) {
        return new EmbeddedKafkaSettings(
                port, controllerPort, dataDirectory, heapSizeMiB, startTimeout, stopTimeout);
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
