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

/** The command lines that format storage for, and run, a Kafka broker in its own JVM. */
final class KafkaCommand {

    /** Written by the virta-kafka-server module: the broker's runtime jars, ':'-separated. */
    static final String CLASSPATH_RESOURCE = "io/virta/kafka/server.classpath";

    private static final String BROKER_MAIN = "kafka.Kafka";
    private static final String STORAGE_TOOL_MAIN = "kafka.tools.StorageTool";

    /** The format tool only writes two small files; it needs no more than this. */
    private static final int FORMAT_HEAP_MIB = 128;

    /**
     * Flags of Kafka's kafka-server-start.sh / kafka-run-class.sh that matter for a small dev
     * broker. Left out: the GC log and JMX, which a dev broker does not need and which would
     * collide between two brokers on one machine.
     */
    private static final List<String> JVM_FLAGS =
            List.of(
                    "-server",
                    "-XX:+UseG1GC",
                    "-XX:MaxGCPauseMillis=20",
                    "-XX:InitiatingHeapOccupancyPercent=35",
                    "-XX:+ExplicitGCInvokesConcurrent",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Djava.awt.headless=true");

    private KafkaCommand() {}

    /** {@code StorageTool format}: writes {@code meta.properties} for the given cluster id. */
    static List<String> format(KafkaLayout layout, String clusterId) {
        List<String> command = jvm(layout, FORMAT_HEAP_MIB);
        command.add(STORAGE_TOOL_MAIN);
        command.addAll(
                List.of("format", "-t", clusterId, "-c", layout.serverProperties().toString()));
        return command;
    }

    /** {@code kafka.Kafka server.properties}: runs the broker in the foreground. */
    static List<String> broker(EmbeddedKafkaSettings settings, KafkaLayout layout) {
        List<String> command = jvm(layout, settings.heapSizeMiB());
        command.add(BROKER_MAIN);
        command.add(layout.serverProperties().toString());
        return command;
    }

    private static List<String> jvm(KafkaLayout layout, int heapMiB) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_FLAGS);
        command.add("-Xmx" + heapMiB + "m");
        command.add("-Dkafka.logs.dir=" + layout.logsDirectory());
        command.add("-Dlog4j2.configurationFile=" + layout.log4jProperties().toUri());
        command.add("-XX:ErrorFile=" + layout.logsDirectory().resolve("hs_err_pid%p.log"));
        command.add("-cp");
        command.add(String.join(":", serverClasspath()));
        return command;
    }

    /**
     * The broker's jars from the recorded classpath resource, checked to exist, because a cleaned
     * local repository otherwise shows up as an obscure ClassNotFoundException in the child's log.
     */
    static List<String> serverClasspath() {
        ClassLoader loader = KafkaCommand.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE
                                + " is not on the classpath: depend on virta-kafka-server");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> jars = Arrays.stream(text.split(":")).filter(s -> !s.isBlank()).toList();
            List<String> missing =
                    jars.stream().filter(jar -> !Files.isRegularFile(Path.of(jar))).toList();
            if (jars.isEmpty() || !missing.isEmpty()) {
                throw new IllegalStateException(
                        "Kafka's classpath is empty or has missing jars (rebuild"
                                + " virta-kafka-server): "
                                + missing);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CLASSPATH_RESOURCE, e);
        }
    }

    /** The java binary of the running JVM, so the broker runs on the same Java 17 runtime. */
    static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
