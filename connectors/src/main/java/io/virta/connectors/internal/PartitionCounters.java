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
    }

    private final Map<Integer, Counters> byPartition = new ConcurrentHashMap<>();

    Counters of(int partition) {
        return byPartition.computeIfAbsent(partition, p -> new Counters());
    }

    Map<Integer, Counters> all() {
        return Map.copyOf(byPartition);
    }
}
