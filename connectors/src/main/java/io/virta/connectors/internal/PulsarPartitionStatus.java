package io.virta.connectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virta.actors.api.ConnectorSpec;
import io.virta.connectors.PartitionStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API: the status rows of a Pulsar subscription, one per partition of the topic: messages
 * read, acknowledged and dead-lettered on this node ({@link PartitionCounters}, {@code committed}
 * counting acknowledged messages, as Pulsar has no offsets), and the partition's backlog for the
 * subscription as the admin API ({@code admin.url}) tells it, as the lag. Without {@code
 * admin.url}, or when the admin API does not answer, the lag is -1. A topic without partitions is
 * partition 0.
 */
final class PulsarPartitionStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PulsarPartitionStatus() {}

    /** The rows of {@code subscription} on {@code spec}'s topic. */
    static CompletionStage<List<PartitionStatus>> rows(
            ConnectorSpec spec, String subscription, PartitionCounters counters) {
        String admin = PulsarOptions.adminUrl(spec);
        CompletionStage<Map<Integer, Long>> backlogs =
                admin == null
                        ? CompletableFuture.completedFuture(Map.of())
                        : backlogs(admin, PulsarOptions.topicPath(spec), subscription);
        return backlogs.thenApply(
                backlog -> {
                    TreeSet<Integer> partitions = new TreeSet<>(backlog.keySet());
                    partitions.addAll(counters.all().keySet());
                    List<PartitionStatus> out = new ArrayList<>();
                    for (int p : partitions) {
                        PartitionCounters.Counters n = counters.of(p);
                        out.add(
                                new PartitionStatus(
                                        p,
                                        n.consumed.get(),
                                        Math.max(0, n.committed.get()),
                                        -1,
                                        backlog.getOrDefault(p, -1L),
                                        n.deadLettered.get(),
                                        subscription,
                                        true));
                    }
                    return out;
                });
    }

    /**
     * The backlog of {@code subscription} per partition of {@code topicPath} ({@code
     * tenant/namespace/topic}); empty when the admin API does not answer or the subscription is not
     * there yet.
     */
    static CompletionStage<Map<Integer, Long>> backlogs(
            String admin, String topicPath, String subscription) {
        String base = admin + "/admin/v2/persistent/" + topicPath;
        return fetch(base + "/partitioned-stats?perPartition=true")
                .thenCompose(
                        partitioned ->
                                partitioned != null && partitioned.has("partitions")
                                        ? CompletableFuture.completedFuture(
                                                byPartition(partitioned, subscription))
                                        : fetch(base + "/stats")
                                                .thenApply(
                                                        stats ->
                                                                stats == null
                                                                        ? Map.<Integer, Long>of()
                                                                        : unpartitioned(
                                                                                stats,
                                                                                subscription)))
                .exceptionally(failure -> Map.of());
    }

    /**
     * The backlogs of {@code subscription} in the partitions of an answer of {@code
     * partitioned-stats?perPartition=true}; partitions it has no subscription on are left out.
     */
    static Map<Integer, Long> byPartition(JsonNode partitioned, String subscription) {
        Map<Integer, Long> out = new TreeMap<>();
        partitioned
                .get("partitions")
                .fields()
                .forEachRemaining(
                        e ->
                                backlogOf(e.getValue(), subscription)
                                        .ifPresent(
                                                b ->
                                                        out.put(
                                                                PulsarOptions.partitionIndex(
                                                                        e.getKey()),
                                                                b)));
        return out;
    }

    private static Map<Integer, Long> unpartitioned(JsonNode stats, String subscription) {
        return backlogOf(stats, subscription).map(b -> Map.of(0, b)).orElse(Map.of());
    }

    private static java.util.Optional<Long> backlogOf(JsonNode stats, String subscription) {
        JsonNode sub = stats.path("subscriptions").path(subscription);
        return sub.isMissingNode()
                ? java.util.Optional.empty()
                : java.util.Optional.of(sub.path("msgBacklog").asLong(-1));
    }

    private static CompletableFuture<JsonNode> fetch(String url) {
        return HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(
                        reply -> {
                            if (reply.statusCode() != 200) {
                                return null;
                            }
                            try {
                                return JSON.readTree(reply.body());
                            } catch (java.io.IOException e) {
                                return null;
                            }
                        });
    }
}
