package io.virta.connectors.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command line that runs Pulsar standalone in its own JVM. */
final class PulsarCommand {

    /** Written by the virta-pulsar-server module: the broker's runtime jars, ':'-separated. */
    static final String CLASSPATH_RESOURCE = "io/virta/pulsar/server.classpath";

    private static final String STANDALONE_MAIN = "org.apache.pulsar.PulsarStandaloneStarter";

    /**
     * Flags of Pulsar's {@code bin/pulsar} script for the standalone command: the {@code
     * --add-opens} that BookKeeper (posix_fadvise, CRC32C), Netty (direct buffers) and the broker
     * (DNS cache, GC metrics) need on Java 17, Netty's reflective access, and the drivers that let
     * BookKeeper keep its metadata in Pulsar's metadata store. Left out: the GC log and JMX, which
     * a dev broker does not need.
     */
    private static final List<String> JVM_FLAGS =
            List.of(
                    "-server",
                    "-XX:+UseG1GC",
                    "-XX:MaxGCPauseMillis=10",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Djava.awt.headless=true",
                    "-Djava.net.preferIPv4Stack=true",
                    "-Djute.maxbuffer=10485760",
                    "-Dio.netty.tryReflectionSetAccessible=true",
                    "-Dlog4j.shutdownHookEnabled=false",
                    "-Dlog4j2.is.webapp=false",
                    "-Dbookkeeper.metadata.bookie.drivers="
                            + "org.apache.pulsar.metadata.bookkeeper.PulsarMetadataBookieDriver",
                    "-Dbookkeeper.metadata.client.drivers="
                            + "org.apache.pulsar.metadata.bookkeeper.PulsarMetadataClientDriver",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.zip=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                    "--add-opens=java.base/sun.net=ALL-UNNAMED",
                    "--add-opens=java.management/sun.management=ALL-UNNAMED");

    private PulsarCommand() {}

    /**
     * {@code PulsarStandaloneStarter}: the broker, a bookie on {@code bookkeeperPort} and a RocksDB
     * metadata store, in the foreground, without functions worker or stream storage.
     */
    static List<String> standalone(EmbeddedPulsarSettings settings, PulsarLayout layout) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_FLAGS);
        command.add("-Xms" + Math.min(settings.heapSizeMiB(), 256) + "m");
        command.add("-Xmx" + settings.heapSizeMiB() + "m");
        command.add("-XX:MaxDirectMemorySize=" + settings.heapSizeMiB() + "m");
        command.add("-Dpulsar.log.dir=" + layout.logsDirectory());
        command.add("-Dlog4j.configurationFile=" + layout.log4jProperties().toUri());
        command.add("-XX:ErrorFile=" + layout.logsDirectory().resolve("hs_err_pid%p.log"));
        command.add("-cp");
        command.add(String.join(":", serverClasspath()));
        command.add(STANDALONE_MAIN);
        command.addAll(
                List.of(
                        "--config",
                        layout.standaloneConf().toString(),
                        "--no-functions-worker",
                        "--no-stream-storage",
                        "--bookkeeper-dir",
                        layout.bookkeeperDirectory().toString(),
                        "--bookkeeper-port",
                        Integer.toString(settings.bookkeeperPort()),
                        "--metadata-url",
                        "rocksdb://" + layout.metadataDirectory()));
        return command;
    }

    /**
     * The broker's jars from the recorded classpath resource, checked to exist, because a cleaned
     * local repository otherwise shows up as an obscure ClassNotFoundException in the child's log.
     */
    static List<String> serverClasspath() {
        ClassLoader loader = PulsarCommand.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE
                                + " is not on the classpath: depend on virta-pulsar-server");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> jars = Arrays.stream(text.split(":")).filter(s -> !s.isBlank()).toList();
            List<String> missing =
                    jars.stream().filter(jar -> !Files.isRegularFile(Path.of(jar))).toList();
            if (jars.isEmpty() || !missing.isEmpty()) {
                throw new IllegalStateException(
                        "Pulsar's classpath is empty or has missing jars (rebuild"
                                + " virta-pulsar-server): "
                                + missing);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CLASSPATH_RESOURCE, e);
        }
    }

    /** The java binary of the running JVM, so Pulsar runs on the same Java 17 runtime. */
    static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
