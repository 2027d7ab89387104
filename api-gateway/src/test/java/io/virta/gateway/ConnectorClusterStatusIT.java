package io.virta.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.connectors.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A source connector runs on every node, each reading the partitions Kafka gave its consumer; the
 * connector's status, asked of any node, adds up what all of them consumed. Two nodes of one
 * cluster, with their own keyspaces (the shared test catalog would start every earlier test's
 * connectors and pipelines here too).
 */
@ExtendWith({SharedCassandra.class, SharedKafka.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorClusterStatusIT {
    private static final String OWN =
            """
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            virta.connectors.reconcile-interval = 500ms
            pekko.persistence.cassandra.journal.keyspace = virta_status_it
            pekko.persistence.cassandra.snapshot.keyspace = virta_status_it_snapshot
            """;

    private TestNode first;
    private TestNode second;

    @BeforeAll
    void startTwoNodes() {
        first = TestNode.start(SharedCassandra.contactPoint(), OWN);
        String seed = Cluster.get(first.server().system()).selfMember().address().toString();
        second =
                TestNode.start(
                        SharedCassandra.contactPoint(),
                        OWN + "pekko.cluster.seed-nodes = [\"" + seed + "\"]\n");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> upMembers(first) == 2 && upMembers(second) == 2);
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    private static long upMembers(TestNode node) {
        var members = Cluster.get(node.server().system()).state().getMembers();
        long up = 0;
        for (var m : members) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    @Test
    void aSourcesStatusOnAnyNodeCountsWhatEveryNodeConsumed() throws Exception {
        String x = UUID.randomUUID().toString().substring(0, 6);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("clicks-" + x, 4, (short) 1))).all().get();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                first.post(
                                                                "/v1/sql",
                                                                """
                CREATE STREAM clicks_%1$s (usr STRING) WITH (KEY='usr');
                CREATE SOURCE CONNECTOR clicks_in_%1$s WITH ('type' = 'kafka', 'servers' = '%2$s',
                  'topic' = 'clicks-%1$s', 'stream' = 'clicks_%1$s', 'history' = 'cassandra');
                """
                                                                        .formatted(
                                                                                x,
                                                                                SharedKafka
                                                                                        .bootstrapServers()),
                                                                "text/plain")
                                                        .status())
                                        .isEqualTo(200));
        // Both nodes' consumers hold partitions before records arrive, so each node reads some
        // and neither alone has consumed them all.
        String status = "/v1/connectors/clicks_in_" + x;
        try (Admin admin = Admin.create(p)) {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                var group =
                                        admin.describeConsumerGroups(
                                                        List.of("virta-clicks_in_" + x))
                                                .all()
                                                .get()
                                                .get("virta-clicks_in_" + x);
                                assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
                                assertThat(group.members()).hasSize(2);
                                assertThat(group.members())
                                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                            });
        }
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 1000; i++) {
                String user = "u" + (i % 50);
                producer.send(
                        new ProducerRecord<>("clicks-" + x, user, "{\"usr\": \"" + user + "\"}"));
            }
        }

        for (TestNode asked : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(
                            () -> {
                                JsonNode body = asked.get(status).body();
                                long consumed = 0;
                                long committed = 0;
                                for (JsonNode partition : body.get("partitions")) {
                                    consumed += partition.get("consumed").asLong();
                                    committed += partition.path("committed").asLong();
                                }
                                assertThat(body.get("nodes")).as("%s", body).hasSize(2);
                                assertThat(body.get("state").asText()).isEqualTo("running");
                                assertThat(body.get("partitions")).as("%s", body).hasSize(4);
                                assertThat(consumed).as("%s", body).isEqualTo(1000);
                                assertThat(committed).as("%s", body).isEqualTo(1000);
                            });
        }
    }
}
