package io.virta.connectors.internal;

import com.typesafe.config.Config;
import io.virta.actors.api.ConnectorSpec;
import io.virta.connectors.PartitionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ConsumerSettings;

/**
 * INTERNAL API: the {@code virta.connectors.kafka} settings, documented in {@code reference.conf},
 * and the small Kafka facts connectors share (ids, group ids, lag).
 */
record KafkaSettings(
        int batchSize,
        Duration batchWindow,
        int maxPartitions,
        int keysInFlight,
        Duration adminTimeout,
        Duration commitInterval,
        int maxRecordsPerCommit,
        Duration checkpointLinger,
        long deadLetterFollowWithin,
        Duration deadLetterFollowWait) {

    static KafkaSettings fromConfig(Config config) {
        Config c = config.getConfig("virta.connectors.kafka");
        return new KafkaSettings(
                c.getInt("batch-size"),
                c.getDuration("batch-window"),
                c.getInt("max-partitions"),
                c.getInt("keys-in-flight"),
                c.getDuration("admin-timeout"),
                c.getDuration("commit-interval"),
                c.getInt("max-records-per-commit"),
                c.getDuration("checkpoint-linger"),
                c.getLong("dead-letter-follow-within"),
                c.getDuration("dead-letter-follow-wait"));
    }

    /** The consumer group of a source connector. */
    static String groupId(ConnectorSpec spec) {
        return "virta-" + spec.name();
    }

    /**
     * Consumer settings of a source: its servers and client options, group {@code group}, the
     * connector's start position when the group has no offsets yet, offsets committed only by Virta
     * (after the records are durable or checkpointed).
     */
    static ConsumerSettings<byte[], byte[]> consumer(
            ActorSystem<?> system, ConnectorSpec spec, String group) {
        // Keys stay bytes: Virta keys events by a field of the value, and a dead letter carries
        // the record's key exactly as it came.
        return ConsumerSettings.create(
                        system, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .withBootstrapServers(spec.servers())
                .withGroupId(group)
                .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, spec.start())
                .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .withProperties(spec.clientOptions())
                .withStopTimeout(Duration.ofSeconds(2));
    }

    /** The id of the event a record becomes: the same however often the record is read. */
    static String eventId(ConsumerRecord<?, ?> record) {
        return "kafka:" + record.topic() + ":" + record.partition() + ":" + record.offset();
    }

    /** Client properties for {@code spec}: its servers and its client options. */
    static Properties clientProperties(ConnectorSpec spec) {
        Properties p = new Properties();
        p.putAll(spec.clientOptions());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.servers());
        return p;
    }

    /** An admin client for the brokers of {@code spec} that waits at most the admin timeout. */
    private Admin admin(ConnectorSpec spec) {
        Properties props = clientProperties(spec);
        int timeout = (int) adminTimeout.toMillis();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        return Admin.create(props);
    }

    /** How many partitions the topic of {@code spec} has, asked of the broker now. */
    CompletionStage<Integer> partitionCount(ConnectorSpec spec) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Admin admin = admin(spec)) {
                        return admin.describeTopics(List.of(spec.topic()))
                                .allTopicNames()
                                .get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                .get(spec.topic())
                                .partitions()
                                .size();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(
                                "could not read the partitions of topic " + spec.topic(), e);
                    }
                });
    }

    /**
     * Per partition of a source's topic: the counters of this node, the group's committed offset
     * and the end offset, asked of the broker now.
     */
    CompletionStage<List<PartitionStatus>> partitionStatus(
            ConnectorSpec spec, PartitionCounters counters) {
        return partitionStatus(spec, groupId(spec), counters);
    }

    /** The same for consumer group {@code group} of the source. */
    CompletionStage<List<PartitionStatus>> partitionStatus(
            ConnectorSpec spec, String group, PartitionCounters counters) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Admin admin = admin(spec)) {
                        Map<TopicPartition, OffsetAndMetadata> committed =
                                admin.listConsumerGroupOffsets(group)
                                        .partitionsToOffsetAndMetadata()
                                        .get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        int partitions =
                                admin.describeTopics(List.of(spec.topic()))
                                        .allTopicNames()
                                        .get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                        .get(spec.topic())
                                        .partitions()
                                        .size();
                        for (int p = 0; p < partitions; p++) {
                            latest.put(new TopicPartition(spec.topic(), p), OffsetSpec.latest());
                        }
                        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                                admin.listOffsets(latest)
                                        .all()
                                        .get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        List<PartitionStatus> out = new ArrayList<>();
                        for (int p = 0; p < partitions; p++) {
                            TopicPartition tp = new TopicPartition(spec.topic(), p);
                            long end = ends.get(tp).offset();
                            OffsetAndMetadata c = committed.get(tp);
                            long done = c == null ? 0 : c.offset();
                            PartitionCounters.Counters n = counters.of(p);
                            out.add(
                                    new PartitionStatus(
                                            p,
                                            n.consumed.get(),
                                            c == null ? -1 : c.offset(),
                                            end,
                                            Math.max(0, end - done),
                                            n.deadLettered.get(),
                                            group));
                        }
                        return out;
                    } catch (Exception e) {
                        // The broker did not answer: this node's counters, without offsets.
                        List<PartitionStatus> known = new ArrayList<>();
                        counters.all()
                                .forEach(
                                        (p, n) ->
                                                known.add(
                                                        new PartitionStatus(
                                                                p,
                                                                n.consumed.get(),
                                                                n.committed.get(),
                                                                -1,
                                                                -1,
                                                                n.deadLettered.get(),
                                                                group)));
                        known.sort(java.util.Comparator.comparingInt(PartitionStatus::partition));
                        return known;
                    }
                });
    }
}
