package io.virta.connectors;

/**
 * What a connector did on one topic partition, as counted on this node since it started there.
 *
 * @param partition the topic partition
 * @param consumed records read (a source) or events written (a sink)
 * @param committed the next offset committed to the topic's consumer group (a Kafka source), the
 *     messages acknowledged on this node (a Pulsar source, which has no offsets), or -1
 * @param endOffset the partition's end offset when asked, or -1
 * @param lag records in the partition not yet committed ({@code endOffset - committed}; for Pulsar
 *     the subscription's backlog in the partition), or -1
 * @param deadLettered records sent to the dead-letter topic
 * @param consumer the source's consumer group or subscription (with {@code history = 'topic'}, one
 *     per pipeline reading the stream), or empty for a sink
 * @param committedIsCount true when {@code committed} counts messages acknowledged on the node (a
 *     Pulsar source) rather than naming an offset: the nodes' counts then add up
 */
public record PartitionStatus(
        int partition,
        long consumed,
        long committed,
        long endOffset,
        long lag,
        long deadLettered,
        String consumer,
        boolean committedIsCount) {

    /** A partition whose {@code committed} is an offset (or -1). */
    public PartitionStatus(
            int partition,
            long consumed,
            long committed,
            long endOffset,
            long lag,
            long deadLettered,
            String consumer) {
        this(partition, consumed, committed, endOffset, lag, deadLettered, consumer, false);
    }
}
