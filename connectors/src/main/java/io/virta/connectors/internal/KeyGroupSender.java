package io.virta.connectors.internal;

import io.virta.actors.api.TopicFeeds;
import io.virta.runtime.stream.KeyedEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * INTERNAL API: how a topic-fed pipeline's consumer sends the parsed records of a partition to the
 * pipeline's key groups, whatever the broker: each group gets one message per batch with its keys'
 * records in position order, naming the position it was sent last from that partition since the
 * partition's last commit, so that a group notices a lost batch instead of applying past it.
 * Thread-safe: the partitions of a consumer send concurrently, each partition in order.
 */
final class KeyGroupSender {

    /**
     * What a batch, or an interval of batches, sent: its records by key group, the highest event
     * time among them ({@code Long.MIN_VALUE}: none) and how many records were read.
     */
    record Sent(
            Map<Integer, List<TopicFeeds.TopicRecord>> byGroup, long maxEventTime, int records) {

        /** The batches of an interval, as one. */
        static Sent merge(List<Sent> batches) {
            Map<Integer, List<TopicFeeds.TopicRecord>> byGroup = new HashMap<>();
            long maxEventTime = Long.MIN_VALUE;
            int records = 0;
            for (Sent s : batches) {
                s.byGroup()
                        .forEach(
                                (g, r) ->
                                        byGroup.computeIfAbsent(g, x -> new ArrayList<>())
                                                .addAll(r));
                maxEventTime = Math.max(maxEventTime, s.maxEventTime());
                records += s.records();
            }
            return new Sent(byGroup, maxEventTime, records);
        }
    }

    private final TopicFeeds feeds;
    private final String pipeline;
    private final int keyGroups;
    // Per partition, the last position sent to each key group since the partition's last commit.
    private final Map<String, Map<Integer, Long>> lastSent = new ConcurrentHashMap<>();

    KeyGroupSender(TopicFeeds feeds, String pipeline, int keyGroups) {
        this.feeds = feeds;
        this.pipeline = pipeline;
        this.keyGroups = keyGroups;
    }

    /**
     * Sends the records of {@code parsed}, read from {@code partition} at {@code now}, to their
     * keys' groups; {@code position} gives a record's place in the partition.
     *
     * @param read how many records the batch had, poison ones included
     */
    <R> Sent send(
            String partition,
            RecordIngest.Parsed<R> parsed,
            ToLongFunction<R> position,
            long now,
            int read) {
        // A group applies its records in position order, whatever key they belong to. Records
        // come in that order from the broker, so each group's list is in order as built; one that
        // is not (a redelivery mixed in) is sorted.
        Map<Integer, List<TopicFeeds.TopicRecord>> byGroup = new LinkedHashMap<>();
        long maxEventTime = Long.MIN_VALUE;
        List<KeyedEvent> events = parsed.events();
        for (int i = 0; i < events.size(); i++) {
            KeyedEvent event = events.get(i);
            maxEventTime = Math.max(maxEventTime, event.eventTimeMillis());
            byGroup.computeIfAbsent(
                            TopicFeeds.keyGroupOf(event.key(), keyGroups), g -> new ArrayList<>())
                    .add(
                            new TopicFeeds.TopicRecord(
                                    event.key(),
                                    position.applyAsLong(parsed.records().get(i)),
                                    event.eventTimeMillis(),
                                    now,
                                    event.payload()));
        }
        Map<Integer, Long> sent =
                lastSent.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
        for (Map.Entry<Integer, List<TopicFeeds.TopicRecord>> e : byGroup.entrySet()) {
            List<TopicFeeds.TopicRecord> out = e.getValue();
            if (!inPositionOrder(out)) {
                out.sort(Comparator.comparingLong(TopicFeeds.TopicRecord::offset));
            }
            Long after = sent.put(e.getKey(), out.get(out.size() - 1).offset());
            feeds.apply(
                    pipeline,
                    e.getKey(),
                    partition,
                    after == null ? TopicFeeds.FIRST_SINCE_COMMIT : after,
                    out);
        }
        return new Sent(byGroup, maxEventTime, read);
    }

    private static boolean inPositionOrder(List<TopicFeeds.TopicRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i - 1).offset() > records.get(i).offset()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code partition} was committed up to {@code position}: the groups sent nothing newer start
     * the next interval afresh. Removal is conditional: a group sent newer records meanwhile stays.
     */
    void committed(String partition, long position) {
        Map<Integer, Long> sent = lastSent.get(partition);
        if (sent != null) {
            sent.values().removeIf(p -> p <= position);
        }
    }
}
