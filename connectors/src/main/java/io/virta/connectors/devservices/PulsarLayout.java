package io.virta.connectors.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directories and generated files of one Pulsar standalone under its data directory:
 *
 * <pre>
 * metadata/                     the RocksDB metadata store (topics, subscriptions, cursors, ledger lists)
 * bookkeeper/                   the bookie's journal and ledgers: the messages themselves
 * logs/pulsar.log               Pulsar's own log (log4j 2)
 * logs/pulsar-stdout.log        stdout and stderr of the process
 * conf/standalone.conf, conf/log4j2.properties   generated at every start
 * </pre>
 */
final class PulsarLayout {

    private static final String CONF_TEMPLATE = "pulsar-standalone.conf.template";
    private static final String LOG4J_RESOURCE = "pulsar-log4j2.properties";
    private final Path root;

    private PulsarLayout(Path root) {
        this.root = root;
    }

    /**
     * Creates the directories and (re)writes the configuration from the settings. Data already in
     * {@code metadata/} and {@code bookkeeper/} is kept, so a restarted Pulsar finds its topics,
     * subscriptions and messages again.
     */
    static PulsarLayout prepare(EmbeddedPulsarSettings settings) {
        PulsarLayout layout = new PulsarLayout(settings.dataDirectory());
        try {
            Files.createDirectories(layout.metadataDirectory());
            Files.createDirectories(layout.bookkeeperDirectory());
            Files.createDirectories(layout.logsDirectory());
            Files.createDirectories(layout.configDirectory());
            Files.writeString(layout.standaloneConf(), renderConf(settings));
            Files.writeString(layout.log4jProperties(), resource(LOG4J_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Pulsar directory " + layout.root, e);
        }
        return layout;
    }

    Path root() {
        return root;
    }

    Path metadataDirectory() {
        return root.resolve("metadata");
    }

    Path bookkeeperDirectory() {
        return root.resolve("bookkeeper");
    }

    Path logsDirectory() {
        return root.resolve("logs");
    }

    Path configDirectory() {
        return root.resolve("conf");
    }

    Path standaloneConf() {
        return configDirectory().resolve("standalone.conf");
    }

    Path log4jProperties() {
        return configDirectory().resolve("log4j2.properties");
    }

    Path pulsarLog() {
        return logsDirectory().resolve("pulsar.log");
    }

    Path processLog() {
        return logsDirectory().resolve("pulsar-stdout.log");
    }

    /**
     * For error messages: the last lines of the process output, the last errors in {@code
     * pulsar.log} with their exceptions, and the last lines of {@code pulsar.log}. The errors are
     * listed apart because a failing Pulsar goes on to log its shutdown, which pushes the cause out
     * of any short tail.
     */
    String logTails() {
        LogSummary pulsar = LogSummary.of(pulsarLog());
        return "--- last lines of "
                + processLog()
                + " ---\n"
                + LogSummary.of(processLog()).lastLines()
                + "--- errors in "
                + pulsarLog()
                + " ---\n"
                + pulsar.errors()
                + "--- last lines of "
                + pulsarLog()
                + " ---\n"
                + pulsar.lastLines();
    }

    private static String renderConf(EmbeddedPulsarSettings settings) {
        return resource(CONF_TEMPLATE)
                .replace("@PORT@", Integer.toString(settings.port()))
                .replace("@WEB_PORT@", Integer.toString(settings.webPort()));
    }

    private static String resource(String name) {
        try (InputStream in = PulsarLayout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Missing resource " + name + " next to " + PulsarLayout.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + name, e);
        }
    }
}
