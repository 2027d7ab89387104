package io.virta.connectors.devservices;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks whether a Kafka broker answers on a loopback port: a TCP connect first, because it is cheap
 * and quiet, then an AdminClient {@code describeCluster}. The broker opens its client listener only
 * late in its startup, but only an answer to a request proves it serves clients.
 */
final class KafkaProbe {

    /** Where the embedded broker listens; it binds no other interface. */
    static final String HOST = "127.0.0.1";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** Lets a request that just missed its own timeout still be collected. */
    private static final Duration FUTURE_SLACK = Duration.ofSeconds(1);

    private final int port;

    KafkaProbe(int port) {
        this.port = port;
    }

    /** True if something accepts TCP connections on the port, whatever it speaks. */
    boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The cluster id if a broker on the port answers {@code describeCluster} within {@code
     * timeout}, empty otherwise (nothing listening, not Kafka, or not ready yet).
     */
    Optional<String> clusterId(Duration timeout) {
        if (!acceptsConnections()) {
            return Optional.empty();
        }
        int millis = Math.toIntExact(timeout.toMillis());
        try (Admin admin = Admin.create(adminConfig(millis))) {
            String id =
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                            .clusterId()
                            .get(millis + FUTURE_SLACK.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.ofNullable(id);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Timeouts, disconnects and protocol errors all mean "no broker answering yet".
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Map<String, Object> adminConfig(int timeoutMillis) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                HOST + ":" + port,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "virta-kafka-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                // One attempt per probe: the caller polls, so retries here would only blur timing.
                AdminClientConfig.RETRIES_CONFIG,
                0);
    }
}
