package io.virta.actors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a connector's stream keeps its history, as its options say. */
class ConnectorSpecTest {
    private static Map<String, String> options(String type, String... more) {
        Map<String, String> o = new HashMap<>();
        o.put("type", type);
        o.put("servers", type.equals("kafka") ? "localhost:9092" : "pulsar://localhost:6650");
        o.put("topic", "t");
        o.put("stream", "s");
        for (int i = 0; i < more.length; i += 2) {
            o.put(more[i], more[i + 1]);
        }
        return o;
    }

    @Test
    void aSourceKeepsItsHistoryInTheTopicUnlessToldOtherwise() {
        for (String type : new String[] {"kafka", "pulsar"}) {
            assertThat(ConnectorSpec.parse("c", "SOURCE", options(type)).topicHistory())
                    .as(type)
                    .isTrue();
            assertThat(
                            ConnectorSpec.parse(
                                            "c", "SOURCE", options(type, "history", "cassandra"))
                                    .topicHistory())
                    .as(type)
                    .isFalse();
        }
    }

    @Test
    void aPulsarSourceWithTopicHistoryReadsEachPartitionInOrderSoRefusesKeyShared() {
        assertThatThrownBy(
                        () ->
                                ConnectorSpec.parse(
                                        "c",
                                        "SOURCE",
                                        options("pulsar", "subscription.type", "Key_Shared")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'subscription.type'")
                .hasMessageContaining("Failover")
                .hasMessageContaining("'history' = 'cassandra'");
        assertThat(
                        ConnectorSpec.parse(
                                        "c",
                                        "SOURCE",
                                        options(
                                                "pulsar",
                                                "subscription.type",
                                                "Key_Shared",
                                                "history",
                                                "cassandra"))
                                .clientOptions())
                .containsEntry("subscription.type", "Key_Shared");
        assertThat(
                        ConnectorSpec.parse(
                                        "c",
                                        "SOURCE",
                                        options("pulsar", "subscription.type", "failover"))
                                .topicHistory())
                .isTrue();
    }

    private static ConnectorSpec pulsarSourceWithDiscoveryEvery(String seconds) {
        return ConnectorSpec.parse(
                "c", "SOURCE", options("pulsar", "autoUpdatePartitionsIntervalSeconds", seconds));
    }

    @Test
    void aPulsarPartitionDiscoveryIntervalIsAWholeNumberOfSeconds() {
        for (String bad : new String[] {"0", "-1", "1.5", "soon", ""}) {
            assertThatThrownBy(() -> pulsarSourceWithDiscoveryEvery(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'autoUpdatePartitionsIntervalSeconds'")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThat(pulsarSourceWithDiscoveryEvery("5").clientOptions())
                .containsEntry("autoUpdatePartitionsIntervalSeconds", "5");
    }

    @Test
    void aSinkCopiesTheStoredStreamUnlessItsTopicIsTheHistory() {
        assertThat(ConnectorSpec.parse("c", "SINK", options("kafka")).topicHistory()).isFalse();
        assertThat(ConnectorSpec.parse("c", "SINK", options("kafka")).history())
                .isEqualTo("cassandra");
        assertThat(
                        ConnectorSpec.parse("c", "SINK", options("kafka", "HISTORY", "Topic"))
                                .topicHistory())
                .isTrue();
        assertThat(
                        ConnectorSpec.parse("c", "SINK", options("pulsar", "history", "topic"))
                                .topicHistory())
                .as("a Pulsar sink produces as a Kafka sink does")
                .isTrue();
    }

    @Test
    void anUnknownHistoryIsRefusedByName() {
        assertThatThrownBy(
                        () -> ConnectorSpec.parse("c", "SINK", options("kafka", "history", "disk")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'history'")
                .hasMessageContaining("disk");
    }

    @Test
    void aConnectorDeclaredBeforeTheOptionExistedStoresItsStream() {
        ConnectorSpec old =
                new ConnectorSpec(
                        "c",
                        "SINK",
                        "kafka",
                        "k:9092",
                        "t",
                        "s",
                        "json",
                        null,
                        null,
                        "earliest",
                        "t-dlq",
                        Map.of(),
                        null);
        assertThat(old.topicHistory()).isFalse();
    }
}
