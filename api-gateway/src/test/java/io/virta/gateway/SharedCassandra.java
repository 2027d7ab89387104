package io.virta.gateway;

import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
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
 * One real Cassandra for the whole test run, shared by every test class that uses this extension.
 * Started on first use (or reused when one already answers on the port), stopped when the run ends.
 * Ports and data directory come from the system properties the build sets ({@code virta.it.*}).
 */
public final class SharedCassandra implements BeforeAllCallback {
    private static final String KEY = SharedCassandra.class.getName();

    /** Starts the shared Cassandra unless it runs already. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> new Running(start()), Running.class);
    }

    /** The contact point of the shared Cassandra. */
    public static String contactPoint() {
        return "127.0.0.1:" + Integer.getInteger("virta.it.cassandra.port", 19042);
    }

    private static EmbeddedCassandra start() {
        int port = Integer.getInteger("virta.it.cassandra.port", 19042);
        int storagePort = Integer.getInteger("virta.it.cassandra.storage-port", 19000);
        Path dataDir =
                Path.of(System.getProperty("virta.it.data-dir", "target/it-data"))
                        .resolve("cassandra");
        if (!listening(port)) {
            // A run starts from an empty Cassandra, whatever earlier runs left in target/.
            deleteRecursively(dataDir);
        }
        return EmbeddedCassandra.start(
                EmbeddedCassandraSettings.create(port, storagePort, dataDir));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
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

    /** Stops Cassandra when JUnit closes the root store at the end of the run. */
    private record Running(EmbeddedCassandra cassandra)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cassandra.stop();
        }
    }
}
