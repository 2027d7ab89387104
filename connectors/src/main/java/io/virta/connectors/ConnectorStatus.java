package io.virta.connectors;

import java.util.List;

/**
 * A connector's state on this node.
 *
 * @param state {@code running}, {@code paused}, {@code starting}, {@code failed} or {@code not
 *     running here} (a sink runs on one node of the cluster)
 * @param error the last failure, or empty
 * @param partitions per topic partition, in partition order
 * @param position a sink's stored position in its stream, or empty
 */
public record ConnectorStatus(
        String name,
        String state,
        String error,
        List<PartitionStatus> partitions,
        String position) {
    public ConnectorStatus {
        partitions = List.copyOf(partitions);
    }
}
