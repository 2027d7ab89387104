package io.virta.connectors.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directories and generated files of one broker under its data directory:
 *
 * <pre>
 * kraft/                        log.dirs: topic partitions and the KRaft metadata log
 * kraft/meta.properties         written by StorageTool format; its presence means "formatted"
 * logs/server.log               the broker's own log (log4j 2)
 * logs/kafka-stdout.log         stdout and stderr of the format tool and the broker
 * conf/server.properties, conf/log4j2.properties   generated at every start
 * </pre>
 */
final class KafkaLayout {

    private static final String PROPERTIES_TEMPLATE = "kafka-server.properties.template";
    private static final String LOG4J_RESOURCE = "kafka-log4j2.properties";
    private final Path root;

    private KafkaLayout(Path root) {
        this.root = root;
    }

    /**
     * Creates the directories and (re)writes the configuration from the settings. Data already in
     * {@code kraft/} is kept, so a restarted broker finds its topics and records again.
     */
    static KafkaLayout prepare(EmbeddedKafkaSettings settings) {
        KafkaLayout layout = new KafkaLayout(settings.dataDirectory());
        try {
            Files.createDirectories(layout.kraftDirectory());
            Files.createDirectories(layout.logsDirectory());
            Files.createDirectories(layout.configDirectory());
            Files.writeString(layout.serverProperties(), renderProperties(settings, layout));
            Files.writeString(layout.log4jProperties(), resource(LOG4J_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka directory " + layout.root, e);
        }
        return layout;
    }

    Path root() {
        return root;
    }

    Path kraftDirectory() {
        return root.resolve("kraft");
    }

    Path logsDirectory() {
        return root.resolve("logs");
    }

    Path configDirectory() {
        return root.resolve("conf");
    }

    Path serverProperties() {
        return configDirectory().resolve("server.properties");
    }

    Path log4jProperties() {
        return configDirectory().resolve("log4j2.properties");
    }

    Path serverLog() {
        return logsDirectory().resolve("server.log");
    }

    Path processLog() {
        return logsDirectory().resolve("kafka-stdout.log");
    }

    /** True once StorageTool has formatted the storage; formatting again would be refused. */
    boolean formatted() {
        return Files.isRegularFile(kraftDirectory().resolve("meta.properties"));
    }

    /**
     * For error messages: the last lines of the process output, the last errors in {@code
     * server.log} with their exceptions, and the last lines of {@code server.log}. The errors are
     * listed apart because a failing broker goes on to log its shutdown and a configuration dump,
     * which push the cause out of any short tail; configuration dumps are left out for the same
     * reason.
     */
    String logTails() {
        LogSummary server = LogSummary.of(serverLog());
        return "--- last lines of "
                + processLog()
                + " ---\n"
                + LogSummary.of(processLog()).lastLines()
                + "--- errors in "
                + serverLog()
                + " ---\n"
                + server.errors()
                + "--- last lines of "
                + serverLog()
                + " (configuration dumps left out) ---\n"
                + server.lastLines();
    }

    private static String renderProperties(EmbeddedKafkaSettings settings, KafkaLayout layout) {
        // Backslashes are escapes in .properties values; nothing else in a path needs escaping.
        String logDirs = layout.kraftDirectory().toString().replace("\\", "\\\\");
        return resource(PROPERTIES_TEMPLATE)
                .replace("@PORT@", Integer.toString(settings.port()))
                .replace("@CONTROLLER_PORT@", Integer.toString(settings.controllerPort()))
                .replace("@LOG_DIRS@", logDirs);
    }

    private static String resource(String name) {
        try (InputStream in = KafkaLayout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Missing resource " + name + " next to " + KafkaLayout.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + name, e);
        }
    }
}
