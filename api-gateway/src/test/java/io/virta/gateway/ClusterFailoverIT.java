package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three Virta nodes, each in its own JVM and configured as the Kubernetes manifests configure a
 * pod, form one cluster through the Kubernetes API (a FAKE one, {@link FakeKubernetesApi}: no real
 * API server can run here) while a client ingests through their gateways the whole time, retrying a
 * failed request on another node as a client behind a Service would:
 *
 * <ol>
 *   <li>a rolling restart (each node stopped with SIGTERM and started again with a higher
 *       app-version, in turn) fails no request the client could not retry, and loses nothing;
 *   <li>a node killed with SIGKILL loses no acknowledged event: the others down it and its keys
 *       serve again from them.
 * </ol>
 *
 * Afterwards a checker reads every key and finds every acknowledged event exactly once.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
    private static final int KEYS = 40;

    private final String stream = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    // Shared with the ingest client's thread, which reads it while a node is replaced.
    private final List<NodeProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FakeKubernetesApi api;
    private IngestClient client;

    @BeforeAll
    void startCluster() throws Exception {
        api = FakeKubernetesApi.start("virta-failover");
        for (int i = 0; i < 3; i++) {
            NodeProcess node = node("failover-" + i, "1");
            api.add(new FakeKubernetesApi.Pod("failover-" + i, "127.0.0.1", node.managementPort()));
            nodes.add(node);
        }
        for (NodeProcess node : nodes) {
            node.start();
        }
        awaitUpMembers(3);
        // Right after the cluster forms the catalog may still be starting (503: try again).
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            GatewayClient.Reply defined =
                                    gateway(nodes.get(0))
                                            .defineStream(
                                                    stream,
                                                    "{\"key\": \"/user\", \"id\": \"/id\"}");
                            assertThat(defined.status()).as("%s", defined.body()).isIn(201, 409);
                        });
        client = new IngestClient(stream, KEYS, nodes);
        client.start();
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        if (client != null) {
            client.stop();
        }
        for (NodeProcess node : nodes) {
            if (node.alive()) {
                node.kill();
            }
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void aRollingRestartUnderIngestFailsNothingTheClientCouldNotRetryAndLosesNothing()
            throws Exception {
        for (int i = 0; i < nodes.size(); i++) {
            long before = client.acknowledged();
            nodes.get(i).stopGracefully(Duration.ofSeconds(90));
            NodeProcess upgraded = node("failover-" + i, "2", nodes.get(i));
            nodes.set(i, upgraded);
            upgraded.start();
            awaitUpMembers(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> client.acknowledged() > before + 20);
        }
        client.pause();
        assertThat(client.failures()).as("requests that failed on every retry").isEmpty();
        assertEveryAcknowledgedEventStoredOnce();
        client.resume();
    }

    @Test
    @Order(2)
    void aNodeKilledHardLosesNoAcknowledgedEventAndItsKeysServeFromTheOthers() throws Exception {
        // The node hosting the most stream-key shards, so that keys must move.
        int victimIndex = 0;
        for (int i = 1; i < nodes.size(); i++) {
            if (keyShards(nodes.get(i)) > keyShards(nodes.get(victimIndex))) {
                victimIndex = i;
            }
        }
        NodeProcess victim = nodes.get(victimIndex);
        assertThat(keyShards(victim)).as("stream-key shards on the node to kill").isPositive();
        victim.kill();
        api.remove("failover-" + victimIndex);
        long afterKill = client.acknowledged();
        Set<String> keysAfterKill = new HashSet<>();
        await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> {
                            keysAfterKill.addAll(client.keysAcknowledgedSince(afterKill));
                            return keysAfterKill.size() == KEYS;
                        });
        client.pause();
        assertThat(client.failures()).as("requests that failed on every retry").isEmpty();
        assertEveryAcknowledgedEventStoredOnce();
    }

    private void assertEveryAcknowledgedEventStoredOnce() throws Exception {
        Map<String, Set<String>> acknowledged = client.acknowledgedByKey();
        GatewayClient reader = gateway(client.liveNode());
        for (Map.Entry<String, Set<String>> key : acknowledged.entrySet()) {
            String path = "/v1/streams/" + stream + "/keys/" + key.getKey() + "/events?limit=10000";
            // A key that just moved may answer 503 until it has recovered: read it again.
            JsonNode events =
                    await().atMost(Duration.ofSeconds(60))
                            .ignoreExceptions()
                            .until(
                                    () -> {
                                        GatewayClient.Reply reply = reader.get(path);
                                        return reply.status() == 200
                                                ? reply.body().get("events")
                                                : null;
                                    },
                                    java.util.Objects::nonNull);
            List<String> ids = new ArrayList<>();
            events.forEach(e -> ids.add(e.get("id").asText()));
            assertThat(ids).as("events of key %s", key.getKey()).doesNotHaveDuplicates();
            assertThat(ids).as("events of key %s", key.getKey()).containsAll(key.getValue());
        }
    }

    /** Shards of stream keys ({@code VirtaKey}) the node hosts, from its management endpoint. */
    private static int keyShards(NodeProcess node) throws Exception {
        GatewayClient.Reply reply =
                new GatewayClient(node.managementPort()).get("/cluster/shards/VirtaKey");
        // One entry per shard of the type this node hosts (shardId, numEntities).
        return reply.body().get("regions").size();
    }

    private void awaitUpMembers(int count) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                nodes.stream()
                                        .filter(NodeProcess::alive)
                                        .allMatch(n -> n.ready() && upMembers(n) == count));
    }

    private static long upMembers(NodeProcess node) {
        try {
            String body =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + node.managementPort()
                                                                    + "/cluster/members"))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            JsonNode members = TestNode.json(body).get("members");
            long up = 0;
            for (JsonNode m : members) {
                up += "Up".equals(m.get("status").asText()) ? 1 : 0;
            }
            return up;
        } catch (Exception e) {
            return -1;
        }
    }

    private NodeProcess node(String name, String appVersion) throws IOException {
        return node(name, appVersion, null);
    }

    /** A node; {@code previous} gives the ports to keep when it is started again. */
    private NodeProcess node(String name, String appVersion, NodeProcess previous)
            throws IOException {
        List<String> properties = new ArrayList<>(api.discoverySystemProperties());
        properties.addAll(
                List.of(
                        // Its own keyspaces: the catalog the other tests filled (pipelines,
                        // connectors) would start all their work in these nodes too.
                        "-Dpekko.persistence.cassandra.journal.keyspace=virta_failover",
                        "-Dpekko.persistence.cassandra.snapshot.keyspace=virta_failover_snapshot",
                        "-Dpekko.management.http.bind-hostname=127.0.0.1",
                        "-Dpekko.management.cluster.bootstrap.contact-point-discovery.interval=1s",
                        // Down an unreachable node sooner than the default 20 s.
                        "-Dpekko.cluster.split-brain-resolver.stable-after=5s"));
        return new NodeProcess(
                name,
                previous == null ? freePort() : previous.httpPort(),
                previous == null ? freePort() : previous.managementPort(),
                properties,
                Map.of(
                        "VIRTA_DISCOVERY",
                        "kubernetes-api",
                        "VIRTA_REQUIRED_CONTACT_POINTS",
                        "3",
                        "VIRTA_MANAGEMENT_HOST",
                        "127.0.0.1",
                        "VIRTA_REMOTE_PORT",
                        Integer.toString(freePort()),
                        "VIRTA_APP_VERSION",
                        appVersion,
                        "VIRTA_CASSANDRA_CONTACT_POINTS",
                        SharedCassandra.contactPoint()));
    }

    private static GatewayClient gateway(NodeProcess node) {
        return new GatewayClient(node.httpPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
