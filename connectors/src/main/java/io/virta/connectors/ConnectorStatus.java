package io.virta.connectors;

import java.util.List;

/**
 * A connector's state over the cluster: a source's per-partition counts add up what every node
 * running it counted since it started reading; offsets, end offsets and lag come from the broker.
 *
 * @param state {@code running}, {@code paused}, {@code starting}, {@code failed} or {@code not
 *     running here} (a sink runs on one node of the cluster)
 * @param error the last failure, or empty
 * @param partitions per topic partition, in partition order
 * @param position a sink's stored position in its stream, or empty
 * @param nodes the cluster nodes whose counts this holds (a source runs on every node, each reading
 *     the partitions its consumer group gave it), or empty when not known
 */
public record ConnectorStatus(
        String name,
        String state,
        String error,
        List<PartitionStatus> partitions,
        String position,
        List<String> nodes) {
    public ConnectorStatus {
        partitions = List.copyOf(partitions);
        nodes = List.copyOf(nodes);
    }

    /** The status on one node, before it is merged with the others'. */
    public ConnectorStatus(
            String name,
            String state,
            String error,
            List<PartitionStatus> partitions,
            String position) {
        this(name, state, error, partitions, position, List.of());
    }
}
