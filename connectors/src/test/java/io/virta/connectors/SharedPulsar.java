package io.virta.connectors;

import io.virta.connectors.devservices.EmbeddedPulsar;
import io.virta.connectors.devservices.EmbeddedPulsarSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Pulsar standalone for the whole test run, shared by every test class that uses this
 * extension. Started on first use (or reused when one already answers on the web port), stopped
 * when the run ends. Ports and data directory come from the system properties the build sets
 * ({@code virta.it.pulsar.port}, {@code virta.it.pulsar.web-port}, {@code
 * virta.it.pulsar.bookkeeper-port}, {@code virta.it.data-dir}); the defaults 16650, 18080, 13181
 * and {@code target/it-data} apply when a test runs outside Maven.
 *
 * <pre>{@code
 * @ExtendWith(SharedPulsar.class)
 * class MyIT {
 *     // clients use PulsarClient.builder().serviceUrl(SharedPulsar.serviceUrl())
 * }
 * }</pre>
 */
public final class SharedPulsar implements BeforeAllCallback {
    private static final String KEY = SharedPulsar.class.getName();

    /** Starts the shared Pulsar unless it runs already. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> new Running(start()), Running.class);
    }

    /** {@code "pulsar://127.0.0.1:<port>"} of the shared Pulsar, for a client's service URL. */
    public static String serviceUrl() {
        return settings().serviceUrl();
    }

    /** {@code "http://127.0.0.1:<web-port>"} of the shared Pulsar's admin REST API. */
    public static String adminUrl() {
        return settings().adminUrl();
    }

    /** The settings the shared Pulsar runs with (or would be started with). */
    public static EmbeddedPulsarSettings settings() {
        return EmbeddedPulsarSettings.create(
                Integer.getInteger("virta.it.pulsar.port", 16650),
                Integer.getInteger("virta.it.pulsar.web-port", 18080),
                Integer.getInteger("virta.it.pulsar.bookkeeper-port", 13181),
                SharedKafka.dataRoot().resolve("pulsar"));
    }

    private static EmbeddedPulsar start() {
        EmbeddedPulsarSettings settings = settings();
        if (!listening(settings.webPort())) {
            // A run starts from an empty Pulsar, whatever earlier runs left in target/.
            SharedKafka.deleteRecursively(settings.dataDirectory());
        }
        return EmbeddedPulsar.start(settings);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops Pulsar when JUnit closes the root store at the end of the run. */
    private record Running(EmbeddedPulsar pulsar)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            pulsar.stop();
        }
    }
}
