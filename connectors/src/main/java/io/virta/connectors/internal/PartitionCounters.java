package io.virta.connectors.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** INTERNAL API: per-partition counters of a running connector; thread-safe. */
final class PartitionCounters {
    /** The counters of one partition. */
    static final class Counters {
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong committed = new AtomicLong(-1);
        final AtomicLong deadLettered = new AtomicLong();

        /**
         * Counts {@code n} more messages acknowledged in {@code committed}: a Pulsar subscription
         * has no offsets to show there.
         */
        void acknowledged(long n) {
            committed.updateAndGet(c -> Math.max(0, c) + n);
        }
    }

    private final Map<Integer, Counters> byPartition = new ConcurrentHashMap<>();

    Counters of(int partition) {
        return byPartition.computeIfAbsent(partition, p -> new Counters());
    }

    Map<Integer, Counters> all() {
        return Map.copyOf(byPartition);
    }
}
