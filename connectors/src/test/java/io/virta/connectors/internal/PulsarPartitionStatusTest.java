package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A subscription's backlog per partition, read from the admin API's per-partition stats. */
class PulsarPartitionStatusTest {

    @Test
    void eachPartitionsBacklogOfTheSubscriptionIsReadAndPartitionsWithoutItAreLeftOut()
            throws Exception {
        String stats =
                """
                {"msgInCounter": 30, "subscriptions": {"virta-c": {"msgBacklog": 9}},
                 "partitions": {
                   "persistent://public/default/t-partition-0":
                     {"subscriptions": {"virta-c": {"msgBacklog": 4}, "other": {"msgBacklog": 1}}},
                   "persistent://public/default/t-partition-1":
                     {"subscriptions": {"virta-c": {"msgBacklog": 5}}},
                   "persistent://public/default/t-partition-2":
                     {"subscriptions": {"other": {"msgBacklog": 7}}}}}
                """;
        assertThat(PulsarPartitionStatus.byPartition(new ObjectMapper().readTree(stats), "virta-c"))
                .containsExactly(java.util.Map.entry(0, 4L), java.util.Map.entry(1, 5L));
    }
}
