package io.virta.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A FAKE Kubernetes API server: no real one can run on this machine (no container runtime, no
 * kubelet), so the cluster bootstrap test talks to this instead. It answers only what Pekko's
 * Kubernetes API discovery asks, {@code GET /api/v1/namespaces/<ns>/pods?labelSelector=...}, over
 * HTTPS with a self-signed certificate (made with the JDK's keytool), checks the bearer token, and
 * lists the pods the test registered as Running with their {@code management} container port.
 *
 * <p>It listens on {@code localhost} at the port in {@code VIRTA_IT_KUBERNETES_API_PORT}, the
 * environment variable the failsafe configuration sets and the discovery reads.
 */
final class FakeKubernetesApi implements AutoCloseable {
    static final String TOKEN = "fake-service-account-token";

    /** A pod: its name, IP and the port of its container port named {@code management}. */
    record Pod(String name, String ip, int managementPort) {}

    private final HttpsServer server;
    private final Path dir;
    private final String namespace;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final AtomicInteger podListRequests = new AtomicInteger();

    private FakeKubernetesApi(HttpsServer server, Path dir, String namespace) {
        this.server = server;
        this.dir = dir;
        this.namespace = namespace;
    }

    /** Starts the fake API for pods of {@code namespace}. */
    static FakeKubernetesApi start(String namespace) throws Exception {
        Path dir = Files.createTempDirectory("fake-kubernetes-api");
        char[] password = "changeit".toCharArray();
        Path keystore = dir.resolve("api.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "api",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "api",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                dir.resolve("ca.crt").toString());
        Files.writeString(dir.resolve("token"), TOKEN);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);

        int port = Integer.parseInt(System.getenv("VIRTA_IT_KUBERNETES_API_PORT"));
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        FakeKubernetesApi api = new FakeKubernetesApi(server, dir, namespace);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** Lists {@code pod} from now on, Running. */
    void add(Pod pod) {
        pods.put(pod.name(), pod);
    }

    /** Stops listing the pod named {@code name}, as when it is deleted. */
    void remove(String name) {
        pods.remove(name);
    }

    /** How many pod lists were asked for. */
    int podListRequests() {
        return podListRequests.get();
    }

    /** Configuration that points Pekko's Kubernetes API discovery at this fake. */
    String discoveryConfig() {
        return """
                pekko.discovery.kubernetes-api {
                  api-ca-path = "%s"
                  api-token-path = "%s"
                  api-service-host-env-name = "VIRTA_IT_KUBERNETES_API_HOST"
                  api-service-port-env-name = "VIRTA_IT_KUBERNETES_API_PORT"
                  pod-namespace = "%s"
                }
                """
                .formatted(dir.resolve("ca.crt"), dir.resolve("token"), namespace);
    }

    /** The same as JVM options, for nodes in their own JVMs. */
    List<String> discoverySystemProperties() {
        String prefix = "-Dpekko.discovery.kubernetes-api.";
        return List.of(
                prefix + "api-ca-path=" + dir.resolve("ca.crt"),
                prefix + "api-token-path=" + dir.resolve("token"),
                prefix + "api-service-host-env-name=VIRTA_IT_KUBERNETES_API_HOST",
                prefix + "api-service-port-env-name=VIRTA_IT_KUBERNETES_API_PORT",
                prefix + "pod-namespace=" + namespace);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + TOKEN).equals(auth)) {
            reply(exchange, 401, "{\"kind\":\"Status\",\"code\":401}");
        } else if (path.equals("/api/v1/namespaces/" + namespace + "/pods")
                && "labelSelector=app=virta".equals(exchange.getRequestURI().getQuery())) {
            podListRequests.incrementAndGet();
            reply(exchange, 200, podList());
        } else {
            reply(exchange, 404, "{\"kind\":\"Status\",\"code\":404}");
        }
    }

    private String podList() {
        ObjectNode list = TestNode.MAPPER.createObjectNode().put("kind", "PodList");
        ArrayNode items = list.putArray("items");
        for (Pod pod : List.copyOf(pods.values())) {
            ObjectNode item = items.addObject();
            item.putObject("metadata")
                    .put("name", pod.name())
                    .put("namespace", namespace)
                    .putObject("labels")
                    .put("app", "virta");
            item.putObject("spec")
                    .putArray("containers")
                    .addObject()
                    .put("name", "virta")
                    .putArray("ports")
                    .addObject()
                    .put("name", "management")
                    .put("containerPort", pod.managementPort());
            ObjectNode status = item.putObject("status").put("phase", "Running");
            status.put("podIP", pod.ip());
            status.putArray("containerStatuses")
                    .addObject()
                    .put("name", "virta")
                    .putObject("state")
                    .putObject("running");
        }
        return list.toString();
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void keytool(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
