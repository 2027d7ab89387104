package io.virta.connectors.devservices;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks whether Pulsar answers on a loopback web port: a TCP connect first, because it is cheap and
 * quiet, then {@code GET /admin/v2/namespaces/public}. The binary port opens before the broker has
 * created its cluster, tenant and namespace metadata; only an answer listing the {@code public}
 * tenant's namespaces proves that clients can use {@code public/default}.
 */
final class PulsarProbe {

    /** Where the embedded Pulsar listens; it binds no other interface. */
    static final String HOST = "127.0.0.1";

    static final String READINESS_PATH = "/admin/v2/namespaces/public";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final int webPort;
    private final HttpClient http;

    PulsarProbe(int webPort) {
        this.webPort = webPort;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** True if something accepts TCP connections on the web port, whatever it speaks. */
    boolean acceptsConnections() {
        return acceptsConnections(webPort);
    }

    /** True if something accepts TCP connections on the given loopback port. */
    static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The namespaces of the {@code public} tenant (a JSON array such as {@code ["public/default"]})
     * if Pulsar answers within {@code timeout}; empty otherwise (nothing listening, not Pulsar, or
     * not ready yet).
     */
    Optional<String> publicNamespaces(Duration timeout) {
        if (!acceptsConnections()) {
            return Optional.empty();
        }
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create("http://" + HOST + ":" + webPort + READINESS_PATH))
                        .timeout(timeout)
                        .header("Accept", "application/json")
                        .GET()
                        .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body().trim();
            boolean answered =
                    response.statusCode() == 200
                            && body.startsWith("[")
                            && body.contains("public/");
            return answered ? Optional.of(body) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Timeouts, resets and odd answers all mean "no Pulsar answering yet".
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
