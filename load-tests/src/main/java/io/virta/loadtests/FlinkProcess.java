package io.virta.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Flink job of the module {@code load-tests/flink} (for example {@code
 * io.virta.loadtests.flink.FlinkWindowedCount}) running in a JVM of its own: Flink's Kafka
 * connector needs kafka-clients 4.2, and this module's classpath holds Virta's 3.9.
 *
 * <p>The child JVM is started from the classpath that the module's build writes to {@code
 * target/classpath.txt}, so that module must be built first. Its stdout is echoed here with the
 * time since launch; its stderr (Flink's log: warnings and errors) goes to {@code
 * target/<name>.log}. {@link #close()} stops it and anything it started.
 */
final class FlinkProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final java.util.Queue<String> output =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Thread stopOnExit;
    private Thread echo;

    private FlinkProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "stop-flink-process");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Launches {@code mainClass} of {@code load-tests/flink} with {@code args} in a JVM with a 1
     * GiB heap.
     *
     * @param name names its log, {@code target/<name>.log}
     * @param started {@link System#nanoTime()} at launch, for the times echoed with its output
     * @throws IllegalStateException if the module {@code load-tests/flink} has not been built
     * @throws IOException if the JVM cannot be started
     */
    static FlinkProcess start(String mainClass, List<String> args, String name, long started)
            throws IOException {
        Path module = moduleDir();
        Path classpathFile = module.resolve("target/classpath.txt");
        Path classes = module.resolve("target/classes");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes)) {
            throw new IllegalStateException(
                    "The Flink jobs are not built: "
                            + classpathFile.toAbsolutePath()
                            + " or "
                            + classes.toAbsolutePath()
                            + " is missing. Build them first, from the repository root: ./mvnw -q"
                            + " -DskipTests package -pl load-tests/flink,load-tests");
        }
        String classpath =
                Files.readString(classpathFile).strip()
                        + java.io.File.pathSeparator
                        + classes.toAbsolutePath();
        Path log = Path.of("target", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx1g", "-cp", classpath, mainClass));
        command.addAll(args);
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                        .start();
        FlinkProcess flink = new FlinkProcess(process, log);
        flink.echo = new Thread(() -> flink.echo(started), "flink-process-stdout");
        flink.echo.setDaemon(true);
        flink.echo.start();
        return flink;
    }

    /** {@code flink/} when run from {@code load-tests/} (as exec:exec does), else from the root. */
    private static Path moduleDir() {
        Path fromLoadTests = Path.of("flink");
        return Files.isRegularFile(fromLoadTests.resolve("pom.xml"))
                ? fromLoadTests
                : Path.of("load-tests", "flink");
    }

    /**
     * Throws if the job's JVM has ended: an unbounded job's JVM never does on its own.
     *
     * @throws IllegalStateException with its exit status and the end of its log
     */
    void checkRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "The Flink job's JVM exited with status "
                            + process.exitValue()
                            + "; end of "
                            + log.toAbsolutePath()
                            + ":\n"
                            + logTail(40));
        }
    }

    /**
     * Waits for a bounded job's JVM to end on its own, and returns the lines it printed to stdout.
     *
     * @throws IllegalStateException if it does not end within {@code timeout}, or ends with a
     *     non-zero status (with the end of its log)
     */
    List<String> awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "The Flink job's JVM did not end within "
                            + timeout
                            + "; end of its log:\n"
                            + logTail(40));
        }
        checkExitedNormally();
        // The stdout echo may still be draining the pipe after the exit.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echo.isAlive() && System.nanoTime() < deadline) {
            echo.join(100);
        }
        return List.copyOf(output);
    }

    private void checkExitedNormally() {
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "The Flink job's JVM exited with status "
                            + process.exitValue()
                            + "; end of "
                            + log.toAbsolutePath()
                            + ":\n"
                            + logTail(40));
        }
    }

    /** Stops the job's JVM and its descendants, forcibly after 20 s. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it stops the JVM itself.
        }
    }

    private void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void echo(long started) {
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                System.out.printf(
                        "[flink %5.1f s] %s%n",
                        Duration.ofNanos(System.nanoTime() - started).toMillis() / 1e3, line);
            }
        } catch (IOException e) {
            // The process was stopped.
        }
    }

    private String logTail(int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(
                    "\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
