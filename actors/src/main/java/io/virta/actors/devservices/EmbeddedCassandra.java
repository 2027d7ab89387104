package io.virta.actors.devservices;

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
 * A single-node Apache Cassandra 5.0 for development and tests, running in its own JVM with its own
 * classpath (recorded by the virta-cassandra-server module), listening on 127.0.0.1 only.
 *
 * <p>{@link #start(EmbeddedCassandraSettings)} reuses a server that already answers CQL on the
 * configured port, for example one a previous test run or a developer left running; such a handle
 * does not own the process and {@link #stop()} leaves it running. Otherwise it launches Cassandra
 * and returns once CQL answers queries; that handle owns the process and {@link #stop()} ends it.
 * Data persists in the data directory across restarts.
 *
 * <p>Thread-safe. Stopping at JVM exit is the caller's choice: call {@link #stopOnJvmExit()}, or
 * use try-with-resources.
 *
 * <pre>{@code
 * EmbeddedCassandraSettings settings =
 *     EmbeddedCassandraSettings.create(19142, 19100, Path.of("target/cassandra"));
 * try (EmbeddedCassandra cassandra = EmbeddedCassandra.start(settings)) {
 *     // connect a driver to cassandra.contactPoint(), local datacenter "datacenter1"
 * }
 * }</pre>
 */
public final class EmbeddedCassandra implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);

    /** Serializes starts within this JVM: file locks guard only against other JVMs. */
    private static final Object START_LOCK = new Object();

    private static final String LOCK_FILE = ".virta-launch.lock";
    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final EmbeddedCassandraSettings settings;
    private final Process process; // null when an already running server is reused
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean hookRegistered = new AtomicBoolean();

    private EmbeddedCassandra(EmbeddedCassandraSettings settings, Process process) {
        this.settings = settings;
        this.process = process;
    }

    /**
     * Returns a running Cassandra on {@code settings.cqlPort()}: the one already answering CQL
     * there, or a new process launched and waited for.
     *
     * <p>Concurrent starts with the same data directory, in this or other JVMs, launch at most one
     * process: the others wait and reuse it.
     *
     * @param settings ports, directories, heap and timeouts
     * @return a handle; {@link #ownsProcess()} tells whether it launched the process
     * @throws IllegalStateException if the CQL port is taken by something that does not speak CQL,
     *     if Cassandra exits during startup or does not answer within the start timeout (the
     *     message carries the tail of its logs), or if Cassandra's classpath is unavailable
     * @throws UncheckedIOException if the data directory cannot be prepared or the process spawned
     */
    public static EmbeddedCassandra start(EmbeddedCassandraSettings settings) {
        Optional<EmbeddedCassandra> running = reuse(settings);
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

    /** Port on 127.0.0.1 where CQL is served. */
    public int cqlPort() {
        return settings.cqlPort();
    }

    /** {@code "127.0.0.1:<cqlPort>"}, the form driver configuration expects for contact points. */
    public String contactPoint() {
        return CqlProbe.HOST + ":" + settings.cqlPort();
    }

    /**
     * True if this handle launched the process and {@link #stop()} ends it; false if it reuses a
     * server started elsewhere, which this handle never stops.
     */
    public boolean ownsProcess() {
        return process != null;
    }

    /**
     * The configured data directory. For a reused server it is where this handle would have kept
     * data; the running server may use another one.
     */
    public Path dataDirectory() {
        return settings.dataDirectory();
    }

    /**
     * Stops an owned Cassandra: SIGTERM, a wait of up to the stop timeout for its graceful
     * shutdown, then a kill. Returns once the process has exited. Idempotent; does nothing for a
     * reused server.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (process == null) {
            log.info(
                    "Leaving Cassandra on {} running: this handle reused it and does not own it",
                    contactPoint());
            return;
        }
        long startNanos = System.nanoTime();
        process.destroy();
        boolean graceful = awaitExit(settings.stopTimeout());
        if (!graceful) {
            log.warn(
                    "Cassandra (pid {}) did not stop within {}; killing it",
                    process.pid(),
                    settings.stopTimeout());
            process.destroyForcibly();
            awaitExit(settings.stopTimeout());
        }
        log.info(
                "Stopped Cassandra (pid {}) on {} in {} ms{}",
                process.pid(),
                contactPoint(),
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
     * effect. A reused server is not stopped by it either.
     *
     * @return this handle
     */
    public EmbeddedCassandra stopOnJvmExit() {
        if (hookRegistered.compareAndSet(false, true)) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(this::stop, "virta-cassandra-stop-" + cqlPort()));
        }
        return this;
    }

    @Override
    public String toString() {
        return "EmbeddedCassandra["
                + contactPoint()
                + (ownsProcess() ? ", owned" : ", reused")
                + "]";
    }

    private static Optional<EmbeddedCassandra> reuse(EmbeddedCassandraSettings settings) {
        CqlProbe probe = new CqlProbe(settings.cqlPort());
        if (!probe.acceptsConnections()) {
            return Optional.empty();
        }
        String version =
                probe.releaseVersion()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "Port "
                                                        + settings.cqlPort()
                                                        + " on 127.0.0.1 accepts connections but"
                                                        + " does not answer CQL; choose another"
                                                        + " cqlPort"));
        log.info(
                "Reusing Cassandra {} already serving CQL on {}:{}; not launching one, and stop()"
                        + " on this handle will leave it running",
                version,
                CqlProbe.HOST,
                settings.cqlPort());
        return Optional.of(new EmbeddedCassandra(settings, null));
    }

    private static FileChannel openLockFile(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        return FileChannel.open(
                dataDirectory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    private static EmbeddedCassandra launch(EmbeddedCassandraSettings settings) {
        long startNanos = System.nanoTime();
        CassandraLayout layout = CassandraLayout.prepare(settings);
        List<String> command = CassandraCommand.build(settings, layout);
        log.info(
                "Launching Cassandra on {}:{} (storage port {}, heap {} MiB) with data in {}",
                CqlProbe.HOST,
                settings.cqlPort(),
                settings.storagePort(),
                settings.heapSizeMiB(),
                settings.dataDirectory());
        log.debug("Cassandra command line: {}", command);
        Process process = spawn(command, settings);
        EmbeddedCassandra cassandra = new EmbeddedCassandra(settings, process);
        String version = cassandra.awaitReady(layout, startNanos);
        log.info(
                "Started Cassandra {} (pid {}) on {} in {} ms; logs in {}",
                version,
                process.pid(),
                cassandra.contactPoint(),
                elapsedMillis(startNanos),
                layout.logsDirectory());
        return cassandra;
    }

    private static Process spawn(List<String> command, EmbeddedCassandraSettings settings) {
        try {
            return new ProcessBuilder(command)
                    .directory(settings.dataDirectory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(settings.processLog().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch Cassandra: " + command.get(0), e);
        }
    }

    /**
     * Polls with growing intervals until CQL answers. Waiting on the process's exit between polls
     * means a crash is noticed at once rather than at the next poll.
     */
    private String awaitReady(CassandraLayout layout, long startNanos) {
        CqlProbe probe = new CqlProbe(settings.cqlPort());
        long deadline = startNanos + settings.startTimeout().toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            Optional<String> version = probe.releaseVersion();
            if (version.isPresent()) {
                return version.get();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw startFailure("did not answer CQL within " + settings.startTimeout(), layout);
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
            throw new IllegalStateException("Cannot watch the Cassandra process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while Cassandra was starting", e);
        }
    }

    /** Kills a process that failed to start: it is of no use and would hold the ports. */
    private IllegalStateException startFailure(String what, CassandraLayout layout) {
        process.destroyForcibly();
        awaitExit(settings.stopTimeout());
        return new IllegalStateException(
                "Cassandra on "
                        + contactPoint()
                        + " "
                        + what
                        + "\n"
                        + layout.logTails(settings.processLog()));
    }

    private boolean awaitExit(Duration timeout) {
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
