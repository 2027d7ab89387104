package io.virta.connectors;

import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.connectors.devservices.EmbeddedKafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for the whole test run, shared by every test class that uses this
 * extension. Started on first use (or reused when one already answers on the port), stopped when
 * the run ends. Ports and data directory come from the system properties the build sets ({@code
 * virta.it.kafka.port}, {@code virta.it.kafka.controller-port}, {@code virta.it.data-dir}); the
 * defaults 19092, 19093 and {@code target/it-data} apply when a test runs outside Maven.
 *
 * <pre>{@code
 * @ExtendWith(SharedKafka.class)
 * class MyIT {
 *     // clients use bootstrap.servers = SharedKafka.bootstrapServers()
 * }
 * }</pre>
 */
public final class SharedKafka implements BeforeAllCallback {
    private static final String KEY = SharedKafka.class.getName();

    /** Starts the shared broker unless it runs already. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> new Running(start()), Running.class);
    }

    /**
     * {@code "127.0.0.1:<port>"} of the shared broker, for a client's {@code bootstrap.servers}.
     */
    public static String bootstrapServers() {
        return settings().bootstrapServers();
    }

    /** The settings the shared broker runs with (or would be started with). */
    public static EmbeddedKafkaSettings settings() {
        return EmbeddedKafkaSettings.create(
                Integer.getInteger("virta.it.kafka.port", 19092),
                Integer.getInteger("virta.it.kafka.controller-port", 19093),
                dataRoot().resolve("kafka"));
    }

    /** Where tests keep their data, {@code target/it-data} unless the build says otherwise. */
    public static Path dataRoot() {
        return Path.of(System.getProperty("virta.it.data-dir", "target/it-data"));
    }

    /** Deletes a directory tree; absent directories are fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not empty " + dir, e);
        }
    }

    private static EmbeddedKafka start() {
        EmbeddedKafkaSettings settings = settings();
        if (!listening(settings.port())) {
            // A run starts from an empty broker, whatever earlier runs left in target/.
            deleteRecursively(settings.dataDirectory());
        }
        return EmbeddedKafka.start(settings);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker when JUnit closes the root store at the end of the run. */
    private record Running(EmbeddedKafka kafka)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            kafka.stop();
        }
    }
}
