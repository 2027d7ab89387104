package io.virta.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that posts events one by one, round robin over the nodes' gateways, for as long as it
 * runs. A request that fails (connection refused, 5xx, timeout) is retried on the next node, for up
 * to 90 s, as a client behind a Kubernetes Service would; only one that never succeeds counts as a
 * failure. 90 s, not a minute: a key whose shard was being moved when a node was killed is
 * unavailable until Pekko's {@code handoff-timeout} (60 s) runs out (docs/deploy-kubernetes.md),
 * and its requests must outlast that. Each event carries its own id, so a retry of a request that
 * did succeed is stored once. Remembers, per key, the ids acknowledged, in order.
 */
final class IngestClient {
    private static final long GIVE_UP_AFTER_NANOS = 90_000_000_000L;

    private final String stream;
    private final int keys;
    private final List<NodeProcess> nodes;
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    private final List<String> acknowledgedInOrder = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile Thread thread;

    IngestClient(String stream, int keys, List<NodeProcess> nodes) {
        this.stream = stream;
        this.keys = keys;
        this.nodes = nodes;
    }

    void start() {
        thread = new Thread(this::run, "ingest-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sending after the request in flight; what was acknowledged stays acknowledged. */
    void pause() {
        paused = true;
        // The request in flight finishes (acknowledged or failed) before the checker reads.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(90))
                .until(() -> sent.get() == acknowledgedInOrder.size() + failures.size());
    }

    void resume() {
        paused = false;
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(70_000);
        }
    }

    long acknowledged() {
        return acknowledgedInOrder.size();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    Map<String, Set<String>> acknowledgedByKey() {
        return Map.copyOf(acknowledged);
    }

    /** Keys with an event acknowledged after the first {@code count} acknowledgements. */
    Set<String> keysAcknowledgedSince(long count) {
        Set<String> keys = new java.util.HashSet<>();
        List<String> all = List.copyOf(acknowledgedInOrder);
        for (int i = (int) count; i < all.size(); i++) {
            keys.add(all.get(i).substring(0, all.get(i).indexOf('/')));
        }
        return keys;
    }

    /** A node that is up, to read from. */
    NodeProcess liveNode() {
        return nodes.stream().filter(NodeProcess::alive).findFirst().orElseThrow();
    }

    private void run() {
        long n = 0;
        while (running) {
            if (paused) {
                LockSupport.parkNanos(20_000_000L);
                continue;
            }
            String key = "u" + (n % keys);
            String id = "e" + n;
            String event = "{\"user\": \"%s\", \"id\": \"%s\", \"n\": %d}".formatted(key, id, n);
            sent.incrementAndGet();
            if (post(event, (int) n)) {
                acknowledged.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(id);
                acknowledgedInOrder.add(key + "/" + id);
            } else {
                failures.add(id);
            }
            n++;
        }
    }

    private boolean post(String event, int attempt) {
        long deadline = System.nanoTime() + GIVE_UP_AFTER_NANOS;
        List<String> errors = new ArrayList<>();
        for (int i = attempt; System.nanoTime() < deadline; i++) {
            NodeProcess node = nodes.get(Math.floorMod(i, nodes.size()));
            try {
                GatewayClient.Reply reply =
                        new GatewayClient(node.httpPort()).postEvents(stream, event);
                if (reply.status() == 200) {
                    return true;
                }
                errors.add(reply.status() + " " + reply.body());
                if (reply.status() < 500) {
                    return false;
                }
            } catch (Exception e) {
                errors.add(e.toString());
            }
            // Back off a little before the next node, as a client library would.
            LockSupport.parkNanos(100_000_000L);
        }
        return false;
    }
}
