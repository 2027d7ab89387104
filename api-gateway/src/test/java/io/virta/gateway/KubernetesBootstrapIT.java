package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three Virta nodes on loopback form ONE cluster through Pekko Management's cluster bootstrap with
 * Kubernetes API discovery, as pods of the manifests in {@code k8s/} do.
 *
 * <p>The Kubernetes API here is a FAKE ({@link FakeKubernetesApi}): a real API server cannot run on
 * this machine. It serves the pod list the discovery asks for, over HTTPS with a bearer token,
 * exactly as the real one answers that request; everything else (discovery, contact points, the
 * bootstrap's agreement, joining, sharding, Cassandra) is real.
 */
@ExtendWith(SharedCassandra.class)
class KubernetesBootstrapIT {
    private static final String NAMESPACE = "virta-it";
    private static FakeKubernetesApi api;
    private static final List<TestNode> nodes = new ArrayList<>();
    private static final List<Integer> managementPorts = new ArrayList<>();

    @BeforeAll
    static void startThreePods() throws Exception {
        api = FakeKubernetesApi.start(NAMESPACE);
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            managementPorts.add(port);
            api.add(new FakeKubernetesApi.Pod("virta-" + i, "127.0.0.1", port));
        }
        // None can form the cluster alone (three contact points required): a node starts, and
        // waits for the others to be found, as a Deployment's pods do.
        for (int port : managementPorts) {
            String config =
                    """
                    virta.cluster.discovery = kubernetes-api
                    pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                    pekko.management.http.hostname = "127.0.0.1"
                    pekko.management.http.bind-hostname = "127.0.0.1"
                    pekko.management.http.port = %d
                    pekko.management.cluster.bootstrap.contact-point-discovery {
                      required-contact-point-nr = 3
                      interval = 1s
                      stable-margin = 2s
                    }
                    """
                                    .formatted(port)
                            + api.discoveryConfig();
            nodes.add(TestNode.start(SharedCassandra.contactPoint(), config));
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
        if (api != null) {
            api.close();
        }
    }

    @Test
    void threePodsFoundThroughTheKubernetesApiFormOneClusterAndServeAnyRequestOnAnyNode() {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            for (TestNode node : nodes) {
                                assertThat(upMembers(node))
                                        .as("Up members seen by a node")
                                        .isEqualTo(3);
                            }
                        });
        assertThat(api.podListRequests())
                .as("the discovery asked the (fake) Kubernetes API for the pods")
                .isPositive();

        String stream = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        // Right after the cluster forms, the catalog may still be starting (503, retry later).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            TestNode.Reply made =
                                    nodes.get(0)
                                            .put("/v1/streams/" + stream, "{\"key\": \"/user\"}");
                            assertThat(made.status()).as("%s", made.body()).isIn(201, 409);
                        });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                nodes.get(1)
                                                        .postJson(
                                                                "/v1/streams/" + stream + "/events",
                                                                "{\"user\": \"ada\", \"n\": 1}")
                                                        .status())
                                        .isEqualTo(200));
        assertThat(
                        nodes.get(2)
                                .get("/v1/streams/" + stream + "/keys/ada/events")
                                .body()
                                .get("events"))
                .hasSize(1);
    }

    @Test
    void everyNodeAnswersTheHealthChecksTheManifestsProbe() {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            for (int port : managementPorts) {
                                assertThat(status(port, "/alive")).isEqualTo(200);
                                assertThat(status(port, "/ready")).isEqualTo(200);
                            }
                        });
    }

    private static long upMembers(TestNode node) {
        return java.util.stream.StreamSupport.stream(
                        Cluster.get(node.server().system()).state().getMembers().spliterator(),
                        false)
                .filter(m -> m.status() == MemberStatus.up())
                .count();
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
