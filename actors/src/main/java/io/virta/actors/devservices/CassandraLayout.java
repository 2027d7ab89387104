package io.virta.actors.devservices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The directories and generated files of one Cassandra node under its data directory:
 *
 * <pre>
 * data/ commitlog/ saved_caches/ hints/ cdc_raw/ triggers/   Cassandra's storage
 * logs/system.log, logs/cassandra-stdout.log                  its logs
 * conf/cassandra.yaml, conf/logback.xml                       generated at every start
 * </pre>
 */
final class CassandraLayout {

    private static final List<String> STORAGE_DIRECTORIES =
            List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw", "triggers", "logs");
    private static final String YAML_TEMPLATE = "cassandra.yaml.template";
    private static final String LOGBACK_RESOURCE = "cassandra-logback.xml";
    private static final int LOG_TAIL_LINES = 40;

    private final Path root;

    private CassandraLayout(Path root) {
        this.root = root;
    }

    /**
     * Creates the directory layout and (re)writes the configuration files from the settings. Data
     * already in the directories is kept, so a restarted node finds its keyspaces again.
     */
    static CassandraLayout prepare(EmbeddedCassandraSettings settings) {
        CassandraLayout layout = new CassandraLayout(settings.dataDirectory());
        try {
            for (String name : STORAGE_DIRECTORIES) {
                Files.createDirectories(layout.root.resolve(name));
            }
            Files.createDirectories(layout.configDirectory());
            Files.createDirectories(settings.processLog().getParent());
            Files.writeString(layout.cassandraYaml(), renderYaml(settings));
            Files.writeString(layout.logbackXml(), resource(LOGBACK_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Cassandra directory " + layout.root, e);
        }
        return layout;
    }

    Path root() {
        return root;
    }

    Path logsDirectory() {
        return root.resolve("logs");
    }

    Path triggersDirectory() {
        return root.resolve("triggers");
    }

    Path configDirectory() {
        return root.resolve("conf");
    }

    Path cassandraYaml() {
        return configDirectory().resolve("cassandra.yaml");
    }

    Path logbackXml() {
        return configDirectory().resolve("logback.xml");
    }

    Path systemLog() {
        return logsDirectory().resolve("system.log");
    }

    /**
     * The last lines of the process output and of {@code system.log}, for error messages: a failed
     * start is usually explained only there.
     */
    String logTails(Path processLog) {
        return "--- last lines of "
                + processLog
                + " ---\n"
                + tail(processLog)
                + "--- last lines of "
                + systemLog()
                + " ---\n"
                + tail(systemLog());
    }

    private static String renderYaml(EmbeddedCassandraSettings settings) {
        // Single-quoted YAML scalars in the template: only a quote itself needs escaping.
        String dataDir = settings.dataDirectory().toString().replace("'", "''");
        return resource(YAML_TEMPLATE)
                .replace("@CQL_PORT@", Integer.toString(settings.cqlPort()))
                .replace("@STORAGE_PORT@", Integer.toString(settings.storagePort()))
                .replace("@DATA_DIR@", dataDir);
    }

    private static String resource(String name) {
        try (InputStream in = CassandraLayout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Missing resource " + name + " next to " + CassandraLayout.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + name, e);
        }
    }

    private static String tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return "(no such file)\n";
        }
        // A ring of the last lines, so a large system.log costs time but not memory. The reader
        // replaces malformed bytes instead of failing, unlike Files.lines.
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                last.addLast(line);
                if (last.size() > LOG_TAIL_LINES) {
                    last.removeFirst();
                }
            }
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
        return String.join("\n", last) + "\n";
    }
}
