package io.virta.actors.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The command line that runs Cassandra 5.0 in its own JVM on Java 17. */
final class CassandraCommand {

    /** Written by the virta-cassandra-server module: Cassandra's runtime jars, ':'-separated. */
    static final String CLASSPATH_RESOURCE = "io/virta/cassandra/server.classpath";

    private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    private static final Pattern JAMM_JAR = Pattern.compile(".*/jamm-[0-9.]+\\.jar");
    private static final String[] SETPRIV_ARGS = {
        "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock"
    };
    private static final long SETPRIV_CHECK_SECONDS = 5;

    /** Module access Cassandra needs on Java 17, as in its conf/jvm17-server.options. */
    private static final List<String> ADD_EXPORTS =
            List.of(
                    "java.base/jdk.internal.misc",
                    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
                    "java.rmi/sun.rmi.registry",
                    "java.rmi/sun.rmi.server",
                    "java.sql/java.sql",
                    "java.base/java.lang.ref",
                    "jdk.unsupported/sun.misc",
                    "jdk.compiler/com.sun.tools.javac.file",
                    "jdk.attach/sun.tools.attach");

    private static final List<String> ADD_OPENS =
            List.of(
                    "java.base/java.lang.module",
                    "java.base/jdk.internal.loader",
                    "java.base/jdk.internal.ref",
                    "java.base/jdk.internal.reflect",
                    "java.base/jdk.internal.math",
                    "java.base/jdk.internal.module",
                    "java.base/jdk.internal.util.jar",
                    "jdk.management/com.sun.management.internal",
                    "java.base/sun.nio.ch",
                    "java.base/java.io",
                    "java.base/java.lang.reflect",
                    "jdk.compiler/com.sun.tools.javac",
                    "java.base/java.lang",
                    "java.base/java.util");

    /**
     * Flags from Cassandra's jvm-server.options and jvm17-server.options that matter for a small
     * dev node. Left out on purpose: -XX:+AlwaysPreTouch (would fault in the whole heap at once),
     * -XX:G1HeapRegionSize=16m (too coarse for a heap of a few hundred MiB) and the JMX port (a
     * second instance would collide on it; nodetool is not needed here).
     */
    private static final List<String> JVM_FLAGS =
            List.of(
                    "-ea",
                    "-da:net.openhft...",
                    "-XX:+UseThreadPriorities",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Xss256k",
                    "-XX:+UseTLAB",
                    "-XX:+ResizeTLAB",
                    "-XX:+PerfDisableSharedMem",
                    "-Djava.net.preferIPv4Stack=true",
                    "-XX:+UseG1GC",
                    "-XX:+ParallelRefProcEnabled",
                    "-XX:MaxTenuringThreshold=1",
                    "-XX:G1RSetUpdatingPauseTimePercent=5",
                    "-XX:MaxGCPauseMillis=300",
                    "-XX:InitiatingHeapOccupancyPercent=70",
                    "-Djdk.attach.allowAttachSelf=true",
                    "-Dio.netty.tryReflectionSetAccessible=true",
                    "-Dio.netty.allocator.useCacheForAllThreads=true",
                    "-Dio.netty.allocator.maxOrder=11");

    private CassandraCommand() {}

    /** The full command: optional privilege drop, java, flags, main class. */
    static List<String> build(EmbeddedCassandraSettings settings, CassandraLayout layout) {
        List<String> classpath = serverClasspath();
        List<String> command = new ArrayList<>(setprivPrefix());
        command.add(javaExecutable());
        command.addAll(JVM_FLAGS);
        ADD_EXPORTS.forEach(module -> command.add("--add-exports=" + module + "=ALL-UNNAMED"));
        ADD_OPENS.forEach(module -> command.add("--add-opens=" + module + "=ALL-UNNAMED"));
        command.add("-Xms" + settings.heapSizeMiB() + "m");
        command.add("-Xmx" + settings.heapSizeMiB() + "m");
        // Cassandra measures memtables with jamm; the agent makes that exact instead of estimated.
        classpath.stream()
                .filter(jar -> JAMM_JAR.matcher(jar).matches())
                .findFirst()
                .ifPresent(jar -> command.add("-javaagent:" + jar));
        command.addAll(nodeArguments(layout));
        command.add("-cp");
        command.add(String.join(":", classpath));
        command.add(MAIN_CLASS);
        return command;
    }

    /**
     * What bin/cassandra passes, pointed at the layout, plus a fast single-node start; crash files
     * go to logs/.
     */
    private static List<String> nodeArguments(CassandraLayout layout) {
        return List.of(
                "-Dcassandra.config=" + layout.cassandraYaml().toUri(),
                "-Dcassandra.storagedir=" + layout.root(),
                "-Dcassandra.logdir=" + layout.logsDirectory(),
                "-Dcassandra.triggers_dir=" + layout.triggersDirectory(),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dlogback.configurationFile=" + layout.logbackXml(),
                "-XX:ErrorFile=" + layout.logsDirectory().resolve("hs_err_pid%p.log"));
    }

    /**
     * Cassandra's jars from the recorded classpath resource, checked to exist, because a cleaned
     * local repository otherwise shows up as an obscure ClassNotFoundException in the child's log.
     */
    static List<String> serverClasspath() {
        ClassLoader loader = CassandraCommand.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE
                                + " is not on the classpath: depend on virta-cassandra-server");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> jars = Arrays.stream(text.split(":")).filter(s -> !s.isBlank()).toList();
            List<String> missing =
                    jars.stream().filter(jar -> !Files.isRegularFile(Path.of(jar))).toList();
            if (jars.isEmpty() || !missing.isEmpty()) {
                throw new IllegalStateException(
                        "Cassandra's classpath is empty or has missing jars (rebuild"
                                + " virta-cassandra-server): "
                                + missing);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CLASSPATH_RESOURCE, e);
        }
    }

    /** The java binary of the running JVM, so Cassandra runs on the same Java 17 runtime. */
    static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * Running as root, Cassandra's JNA mlockall pins the whole heap in RAM; without CAP_IPC_LOCK it
     * cannot. Dropping that capability needs setpriv and the right to change the bounding set, so a
     * trial run decides: where it fails (no setpriv, not root) Cassandra starts as it is.
     */
    static List<String> setprivPrefix() {
        Optional<Path> setpriv = findOnPath("setpriv");
        if (setpriv.isEmpty()) {
            return List.of();
        }
        List<String> prefix = new ArrayList<>();
        prefix.add(setpriv.get().toString());
        prefix.addAll(Arrays.asList(SETPRIV_ARGS));
        List<String> trial = new ArrayList<>(prefix);
        trial.add(findOnPath("true").map(Path::toString).orElse("/bin/true"));
        return succeeds(trial) ? prefix : List.of();
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(SETPRIV_CHECK_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
