package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.connectors.ConnectorStatus;
import io.virta.connectors.PartitionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusMergeTest {
    private static PartitionStatus kafka(int partition, long consumed, long committed, long end) {
        return new PartitionStatus(partition, consumed, committed, end, end - committed, 1, "g");
    }

    @Test
    void countsOfEachNodeAddUpAndTheNewestOffsetsWin() {
        // Partition 0 moved from node a to node b: both counted some of it.
        var a =
                new ConnectorStatus(
                        "c",
                        "running",
                        "",
                        List.of(kafka(0, 300, 300, 1000), kafka(1, 500, 400, 600)),
                        "");
        var b = new ConnectorStatus("c", "running", "", List.of(kafka(0, 600, 900, 1000)), "");

        ConnectorStatus merged =
                StatusMerge.merge(
                        "c",
                        List.of(
                                new StatusMerge.NodeReport("a", a),
                                new StatusMerge.NodeReport("b", b)),
                        List.of());

        assertThat(merged.nodes()).containsExactly("a", "b");
        assertThat(merged.partitions())
                .containsExactly(
                        new PartitionStatus(0, 900, 900, 1000, 100, 2, "g"),
                        new PartitionStatus(1, 500, 400, 600, 200, 1, "g"));
        assertThat(merged.state()).isEqualTo("running");
        assertThat(merged.error()).isEmpty();
    }

    @Test
    void pulsarsAcknowledgedCountsAddUpAndItsBacklogIsShared() {
        var a =
                new ConnectorStatus(
                        "p",
                        "running",
                        "",
                        List.of(
                                new PartitionStatus(0, 10, 10, -1, 5, 0, "s", true),
                                new PartitionStatus(1, 4, 4, -1, 0, 0, "s", true)),
                        "");
        var b =
                new ConnectorStatus(
                        "p",
                        "running",
                        "",
                        List.of(new PartitionStatus(0, 20, 18, -1, 5, 1, "s", true)),
                        "");

        ConnectorStatus merged =
                StatusMerge.merge(
                        "p",
                        List.of(
                                new StatusMerge.NodeReport("a", a),
                                new StatusMerge.NodeReport("b", b)),
                        List.of());

        assertThat(merged.partitions())
                .as("a partition moved between the nodes: each counts what it acknowledged")
                .containsExactly(
                        new PartitionStatus(0, 30, 28, -1, 5, 1, "s", true),
                        new PartitionStatus(1, 4, 4, -1, 0, 0, "s", true));
    }

    @Test
    void aFailedNodeFailsTheStatusAndASilentOneIsNamed() {
        var a = new ConnectorStatus("c", "running", "", List.of(), "");
        var b = new ConnectorStatus("c", "failed", "broker gone", List.of(), "");

        ConnectorStatus merged =
                StatusMerge.merge(
                        "c",
                        List.of(
                                new StatusMerge.NodeReport("a", a),
                                new StatusMerge.NodeReport("b", b)),
                        List.of("pekko://virta@10.0.0.3:25520"));

        assertThat(merged.state()).isEqualTo("failed");
        assertThat(merged.error())
                .isEqualTo(
                        "b: broker gone; pekko://virta@10.0.0.3:25520: no answer within the timeout");
    }

    @Test
    void noNodeRunningItSaysSo() {
        ConnectorStatus merged = StatusMerge.merge("c", List.of(), List.of());

        assertThat(merged.state()).isEqualTo("not running");
        assertThat(merged.nodes()).isEmpty();
    }
}
