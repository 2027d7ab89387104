package io.virta.connectors.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka 4.x broker (KRaft, combined broker and controller) for development and
 * tests, running in its own JVM with its own classpath (recorded by the virta-kafka-server module),
 * listening on 127.0.0.1 only.
 *
 * <p>{@link #start(EmbeddedKafkaSettings)} reuses a broker that already answers on the configured
 * port, for example one a previous test run or a developer left running; such a handle does not own
 * the process and {@link #stop()} leaves it running. Otherwise it formats the storage if it was
 * never formatted, launches the broker and returns once it answers an AdminClient request; that
 * handle owns the process and {@link #stop()} ends it. Topics and records persist in the data
 * directory across restarts.
 *
 * <p>Thread-safe. Stopping at JVM exit is the caller's choice: call {@link #stopOnJvmExit()}, or
 * use try-with-resources.
 *
 * <pre>{@code
 * EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.create(19092, 19093, Path.of("target/kafka"));
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
 *     // clients use bootstrap.servers = kafka.bootstrapServers()
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Serializes starts within this JVM: file locks guard only against other JVMs. */
    private static final Object START_LOCK = new Object();

    private static final String LOCK_FILE = ".virta-launch.lock";
    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    /** Per-request timeout of a readiness probe; a broker that is up answers in milliseconds. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final EmbeddedKafkaSettings settings;
    private final Process process; // null when an already running broker is reused
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean hookRegistered = new AtomicBoolean();

    private EmbeddedKafka(EmbeddedKafkaSettings settings, Process process) {
        this.settings = settings;
        this.process = process;
    }

    /**
     * Returns a running broker on {@code settings.port()}: the one already answering there, or a
     * new process launched and waited for.
     *
     * <p>Concurrent starts with the same data directory, in this or other JVMs, launch at most one
     * process: the others wait and reuse it.
     *
     * @param settings ports, directories, heap and timeouts
     * @return a handle; {@link #ownsProcess()} tells whether it launched the process
     * @throws IllegalStateException if the port is taken by something that does not answer as a
     *     Kafka broker, if formatting fails, if the broker exits during startup or does not answer
     *     within the start timeout (the message carries the tail of its logs), or if the broker's
     *     classpath is unavailable
     * @throws UncheckedIOException if the data directory cannot be prepared or a process spawned
     */
    public static EmbeddedKafka start(EmbeddedKafkaSettings settings) {
        Optional<EmbeddedKafka> running = reuse(settings);
        if (running.isPresent()) {
            return running.get();
        }
        synchronized (START_LOCK) {
            try (FileChannel channel = openLockFile(settings.dataDirectory());
                    FileLock ignored = channel.lock()) {
                // Someone may have started it while we waited for the lock.
                return reuse(settings).orElseGet(() -> launch(settings));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot lock " + settings.dataDirectory().resolve(LOCK_FILE), e);
            }
        }
    }

    /** {@code "127.0.0.1:<port>"}, the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    /** The settings this handle was started with. */
    public EmbeddedKafkaSettings settings() {
        return settings;
    }

    /**
     * True if this handle launched the process and {@link #stop()} ends it; false if it reuses a
     * broker started elsewhere, which this handle never stops.
     */
    public boolean ownsProcess() {
        return process != null;
    }

    /**
     * Stops an owned broker: SIGTERM, a wait of up to the stop timeout for its controlled shutdown
     * (which flushes its logs), then a kill. Returns once the process has exited. Idempotent; does
     * nothing for a reused broker.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (process == null) {
            log.info(
                    "Leaving Kafka on {} running: this handle reused it and does not own it",
                    bootstrapServers());
            return;
        }
        long startNanos = System.nanoTime();
        process.destroy(); // SIGTERM: Kafka's shutdown hook runs a controlled shutdown
        boolean graceful = awaitExit(process, settings.stopTimeout());
        if (!graceful) {
            log.warn(
                    "Kafka (pid {}) did not stop within {}; killing it",
                    process.pid(),
                    settings.stopTimeout());
            process.destroyForcibly();
            awaitExit(process, settings.stopTimeout());
        }
        log.info(
                "Stopped Kafka (pid {}) on {} in {} ms{}",
                process.pid(),
                bootstrapServers(),
                elapsedMillis(startNanos),
                graceful ? "" : " (killed)");
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Registers a JVM shutdown hook that calls {@link #stop()}; registering twice has no further
     * effect. A reused broker is not stopped by it either.
     *
     * @return this handle
     */
    public EmbeddedKafka stopOnJvmExit() {
        if (hookRegistered.compareAndSet(false, true)) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(this::stop, "virta-kafka-stop-" + settings.port()));
        }
        return this;
    }

    @Override
    public String toString() {
        return "EmbeddedKafka["
                + bootstrapServers()
                + (ownsProcess() ? ", owned" : ", reused")
                + "]";
    }

    private static Optional<EmbeddedKafka> reuse(EmbeddedKafkaSettings settings) {
        KafkaProbe probe = new KafkaProbe(settings.port());
        if (!probe.acceptsConnections()) {
            return Optional.empty();
        }
        String clusterId =
                probe.clusterId(PROBE_TIMEOUT)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "Port "
                                                        + settings.port()
                                                        + " on 127.0.0.1 accepts connections but"
                                                        + " does not answer as a Kafka broker;"
                                                        + " choose another port"));
        log.info(
                "Reusing Kafka cluster {} already answering on {}; not launching one, and stop()"
                        + " on this handle will leave it running",
                clusterId,
                settings.bootstrapServers());
        return Optional.of(new EmbeddedKafka(settings, null));
    }

    private static FileChannel openLockFile(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        return FileChannel.open(
                dataDirectory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    private static EmbeddedKafka launch(EmbeddedKafkaSettings settings) {
        long startNanos = System.nanoTime();
        KafkaLayout layout = KafkaLayout.prepare(settings);
        if (!layout.formatted()) {
            format(settings, layout);
        }
        List<String> command = KafkaCommand.broker(settings, layout);
        log.info(
                "Launching Kafka on {} (controller port {}, heap {} MiB) with data in {}",
                settings.bootstrapServers(),
                settings.controllerPort(),
                settings.heapSizeMiB(),
                settings.dataDirectory());
        log.debug("Kafka command line: {}", command);
        Process process = spawn(command, layout);
        EmbeddedKafka kafka = new EmbeddedKafka(settings, process);
        String clusterId = kafka.awaitReady(layout, startNanos);
        log.info(
                "Started Kafka cluster {} (pid {}) on {} in {} ms; logs in {}",
                clusterId,
                process.pid(),
                kafka.bootstrapServers(),
                elapsedMillis(startNanos),
                layout.logsDirectory());
        return kafka;
    }

    /**
     * Formats the storage once, with a fresh cluster id. Later starts skip this, which is what
     * keeps topics and records across restarts (StorageTool refuses to format twice anyway).
     */
    private static void format(EmbeddedKafkaSettings settings, KafkaLayout layout) {
        String clusterId = Uuid.randomUuid().toString();
        log.info(
                "Formatting Kafka storage in {} for cluster {}",
                layout.kraftDirectory(),
                clusterId);
        Process formatter = spawn(KafkaCommand.format(layout, clusterId), layout);
        if (!awaitExit(formatter, settings.startTimeout())) {
            formatter.destroyForcibly();
            throw new IllegalStateException(
                    "Kafka's StorageTool did not finish within "
                            + settings.startTimeout()
                            + "\n"
                            + layout.logTails());
        }
        if (formatter.exitValue() != 0 || !layout.formatted()) {
            throw new IllegalStateException(
                    "Kafka's StorageTool failed with exit code "
                            + formatter.exitValue()
                            + "\n"
                            + layout.logTails());
        }
    }

    private static Process spawn(List<String> command, KafkaLayout layout) {
        try {
            return new ProcessBuilder(command)
                    .directory(layout.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.processLog().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch " + command.get(0), e);
        }
    }

    /**
     * Polls with growing intervals until the broker answers. Waiting on the process's exit between
     * polls means a crash is noticed at once rather than at the next poll.
     */
    private String awaitReady(KafkaLayout layout, long startNanos) {
        KafkaProbe probe = new KafkaProbe(settings.port());
        long deadline = startNanos + settings.startTimeout().toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            Optional<String> clusterId = probe.clusterId(PROBE_TIMEOUT);
            if (clusterId.isPresent()) {
                return clusterId.get();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw startFailure("did not answer within " + settings.startTimeout(), layout);
            }
            if (waitForExit(Math.min(pause.toNanos(), remaining))) {
                throw startFailure("exited with code " + process.exitValue(), layout);
            }
            pause =
                    pause.multipliedBy(2).compareTo(MAX_POLL) > 0
                            ? MAX_POLL
                            : pause.multipliedBy(2);
        }
    }

    /** True if the process exited within the given time. */
    private boolean waitForExit(long nanos) {
        try {
            process.onExit().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot watch the Kafka process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while Kafka was starting", e);
        }
    }

    /** Kills a process that failed to start: it is of no use and would hold the ports. */
    private IllegalStateException startFailure(String what, KafkaLayout layout) {
        process.destroyForcibly();
        awaitExit(process, settings.stopTimeout());
        return new IllegalStateException(
                "Kafka on " + bootstrapServers() + " " + what + "\n" + layout.logTails());
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
