package io.virta.connectors.internal;

import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API: one connector's status over the cluster from what each node running it reports.
 * Pure.
 *
 * <p>A source runs on every node, each reading the partitions its consumer group gave it, so each
 * node counts only its own. Per (consumer, partition): records consumed and dead-lettered add up
 * over the nodes (each since it started reading); offsets come from the broker, the same for every
 * node, and the newest (highest) is kept. Where {@code committed} is a count of acknowledged
 * messages (a Pulsar source, {@link PartitionStatus#committedIsCount}) or the row covers all
 * partitions (partition -1), it adds up too. The state is {@code failed} when any node's runner
 * failed, else the first node's; errors are kept with their node.
 */
final class StatusMerge {
    private StatusMerge() {}

    /** What {@code node} reported: the connector's status there. */
    record NodeReport(String node, ConnectorStatus status) {}

    static ConnectorStatus merge(String name, List<NodeReport> reports, List<String> silent) {
        if (reports.isEmpty()) {
            String why =
                    silent.isEmpty()
                            ? ""
                            : "no answer from " + String.join(", ", silent) + " within the timeout";
            return new ConnectorStatus(name, "not running", why, List.of(), "", List.of());
        }
        Map<String, PartitionStatus> byPartition = new LinkedHashMap<>();
        Set<String> errors = new LinkedHashSet<>();
        List<String> nodes = new ArrayList<>();
        String state = reports.get(0).status().state();
        for (NodeReport report : reports) {
            ConnectorStatus s = report.status();
            nodes.add(report.node());
            if (s.state().equals("failed")) {
                state = "failed";
            }
            if (!s.error().isEmpty()) {
                errors.add(report.node() + ": " + s.error());
            }
            for (PartitionStatus p : s.partitions()) {
                byPartition.merge(p.consumer() + "#" + p.partition(), p, StatusMerge::add);
            }
        }
        silent.forEach(node -> errors.add(node + ": no answer within the timeout"));
        List<PartitionStatus> partitions = new ArrayList<>(byPartition.values());
        partitions.sort(
                Comparator.comparing(PartitionStatus::consumer)
                        .thenComparingInt(PartitionStatus::partition));
        return new ConnectorStatus(
                name, state, String.join("; ", errors), partitions, "", List.copyOf(nodes));
    }

    private static PartitionStatus add(PartitionStatus a, PartitionStatus b) {
        boolean counted = a.partition() < 0 || a.committedIsCount();
        long committed =
                counted
                        ? Math.max(0, a.committed()) + Math.max(0, b.committed())
                        : Math.max(a.committed(), b.committed());
        long end = Math.max(a.endOffset(), b.endOffset());
        long lag =
                counted || end < 0
                        ? Math.max(a.lag(), b.lag())
                        : Math.max(0, end - Math.max(0, committed));
        return new PartitionStatus(
                a.partition(),
                a.consumed() + b.consumed(),
                committed,
                end,
                lag,
                a.deadLettered() + b.deadLettered(),
                a.consumer(),
                a.committedIsCount());
    }
}
