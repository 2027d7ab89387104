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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Pulsar 4.x standalone (one broker, one BookKeeper bookie, a RocksDB metadata store) for
 * development and tests, running in its own JVM with its own classpath (recorded by the
 * virta-pulsar-server module), listening on 127.0.0.1 only.
 *
 * <p>{@link #start(EmbeddedPulsarSettings)} reuses a Pulsar that already answers on the configured
 * web port, for example one a previous test run or a developer left running; such a handle does not
 * own the process and {@link #stop()} leaves it running. Otherwise it launches Pulsar and returns
 * once its admin API lists the namespaces of the {@code public} tenant; that handle owns the
 * process and {@link #stop()} ends it. Topics, subscriptions and unacknowledged messages persist in
 * the data directory across restarts.
 *
 * <p>Thread-safe. Stopping at JVM exit is the caller's choice: call {@link #stopOnJvmExit()}, or
 * use try-with-resources.
 *
 * <pre>{@code
 * EmbeddedPulsarSettings settings =
 *     EmbeddedPulsarSettings.create(6650, 8081, 3181, Path.of("target/pulsar"));
 * try (EmbeddedPulsar pulsar = EmbeddedPulsar.start(settings)) {
 *     // clients use PulsarClient.builder().serviceUrl(pulsar.serviceUrl())
 * }
 * }</pre>
 */
public final class EmbeddedPulsar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPulsar.class);

    /** Serializes starts within this JVM: file locks guard only against other JVMs. */
    private static final Object START_LOCK = new Object();

    private static final String LOCK_FILE = ".virta-launch.lock";
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    /** Per-request timeout of a readiness probe; a Pulsar that is up answers in milliseconds. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final EmbeddedPulsarSettings settings;
    private final Process process; // null when an already running Pulsar is reused
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean hookRegistered = new AtomicBoolean();

    private EmbeddedPulsar(EmbeddedPulsarSettings settings, Process process) {
        this.settings = settings;
        this.process = process;
    }

    /**
     * Returns a running Pulsar on {@code settings.webPort()}: the one already answering there, or a
     * new process launched and waited for.
     *
     * <p>Concurrent starts with the same data directory, in this or other JVMs, launch at most one
     * process: the others wait and reuse it.
     *
     * @param settings ports, directories, heap and timeouts
     * @return a handle; {@link #ownsProcess()} tells whether it launched the process
     * @throws IllegalStateException if the web port is taken by something that does not answer as
     *     Pulsar, if Pulsar exits during startup or does not answer within the start timeout (the
     *     message carries the tail of its logs), or if Pulsar's classpath is unavailable
     * @throws UncheckedIOException if the data directory cannot be prepared or a process spawned
     */
    public static EmbeddedPulsar start(EmbeddedPulsarSettings settings) {
        Optional<EmbeddedPulsar> running = reuse(settings);
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

    /** {@code "pulsar://127.0.0.1:<port>"}, the service URL for a Pulsar client. */
    public String serviceUrl() {
        return settings.serviceUrl();
    }

    /** {@code "http://127.0.0.1:<webPort>"}, the base URL of the admin REST API. */
    public String adminUrl() {
        return settings.adminUrl();
    }

    /** The settings this handle was started with. */
    public EmbeddedPulsarSettings settings() {
        return settings;
    }

    /**
     * True if this handle launched the process and {@link #stop()} ends it; false if it reuses a
     * Pulsar started elsewhere, which this handle never stops.
     */
    public boolean ownsProcess() {
        return process != null;
    }

    /**
     * Stops an owned Pulsar: SIGTERM, a wait of up to the stop timeout for its shutdown hook (which
     * closes the broker, the bookie and the metadata store), then a kill. Returns once the process
     * has exited. Idempotent; does nothing for a reused Pulsar.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (process == null) {
            log.info(
                    "Leaving Pulsar on {} running: this handle reused it and does not own it",
                    serviceUrl());
            return;
        }
        long startNanos = System.nanoTime();
        process.destroy(); // SIGTERM: PulsarStandaloneStarter's shutdown hook closes everything
        boolean graceful = awaitExit(process, settings.stopTimeout());
        if (!graceful) {
            log.warn(
                    "Pulsar (pid {}) did not stop within {}; killing it",
                    process.pid(),
                    settings.stopTimeout());
            process.destroyForcibly();
            awaitExit(process, settings.stopTimeout());
        }
        log.info(
                "Stopped Pulsar (pid {}) on {} in {} ms{}",
                process.pid(),
                serviceUrl(),
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
     * effect. A reused Pulsar is not stopped by it either.
     *
     * @return this handle
     */
    public EmbeddedPulsar stopOnJvmExit() {
        if (hookRegistered.compareAndSet(false, true)) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(this::stop, "virta-pulsar-stop-" + settings.port()));
        }
        return this;
    }

    @Override
    public String toString() {
        return "EmbeddedPulsar["
                + serviceUrl()
                + ", "
                + adminUrl()
                + (ownsProcess() ? ", owned" : ", reused")
                + "]";
    }

    private static Optional<EmbeddedPulsar> reuse(EmbeddedPulsarSettings settings) {
        PulsarProbe probe = new PulsarProbe(settings.webPort());
        if (!probe.acceptsConnections()) {
            return Optional.empty();
        }
        String namespaces =
                probe.publicNamespaces(PROBE_TIMEOUT)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "Port "
                                                        + settings.webPort()
                                                        + " on 127.0.0.1 accepts connections but"
                                                        + " does not answer as Pulsar's admin"
                                                        + " API; choose another web port"));
        if (!PulsarProbe.acceptsConnections(settings.port())) {
            throw new IllegalStateException(
                    "Pulsar answers on web port "
                            + settings.webPort()
                            + " but nothing listens on its binary port "
                            + settings.port()
                            + "; it runs with other ports than configured");
        }
        log.info(
                "Reusing Pulsar already answering on {} (namespaces {}); not launching one, and"
                        + " stop() on this handle will leave it running",
                settings.adminUrl(),
                namespaces);
        return Optional.of(new EmbeddedPulsar(settings, null));
    }

    private static FileChannel openLockFile(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        return FileChannel.open(
                dataDirectory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    private static EmbeddedPulsar launch(EmbeddedPulsarSettings settings) {
        long startNanos = System.nanoTime();
        PulsarLayout layout = PulsarLayout.prepare(settings);
        List<String> command = PulsarCommand.standalone(settings, layout);
        log.info(
                "Launching Pulsar standalone on {} (web port {}, bookie port {}, heap {} MiB)"
                        + " with data in {}",
                settings.serviceUrl(),
                settings.webPort(),
                settings.bookkeeperPort(),
                settings.heapSizeMiB(),
                settings.dataDirectory());
        log.debug("Pulsar command line: {}", command);
        Process process = spawn(command, layout);
        EmbeddedPulsar pulsar = new EmbeddedPulsar(settings, process);
        pulsar.awaitReady(layout, startNanos);
        log.info(
                "Started Pulsar (pid {}) on {} in {} ms; logs in {}",
                process.pid(),
                pulsar.serviceUrl(),
                elapsedMillis(startNanos),
                layout.logsDirectory());
        return pulsar;
    }

    private static Process spawn(List<String> command, PulsarLayout layout) {
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
     * Polls with growing intervals until the admin API answers and the binary port accepts
     * connections. Waiting on the process's exit between polls means a crash is noticed at once
     * rather than at the next poll.
     */
    private void awaitReady(PulsarLayout layout, long startNanos) {
        PulsarProbe probe = new PulsarProbe(settings.webPort());
        long deadline = startNanos + settings.startTimeout().toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            if (probe.publicNamespaces(PROBE_TIMEOUT).isPresent()
                    && PulsarProbe.acceptsConnections(settings.port())) {
                return;
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
            throw new IllegalStateException("Cannot watch the Pulsar process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while Pulsar was starting", e);
        }
    }

    /** Kills a process that failed to start: it is of no use and would hold the ports. */
    private IllegalStateException startFailure(String what, PulsarLayout layout) {
        process.destroyForcibly();
        awaitExit(process, settings.stopTimeout());
        return new IllegalStateException(
                "Pulsar on "
                        + serviceUrl()
                        + " (admin "
                        + adminUrl()
                        + ") "
                        + what
                        + "\n"
                        + layout.logTails());
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
