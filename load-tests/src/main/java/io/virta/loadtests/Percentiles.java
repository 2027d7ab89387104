package io.virta.loadtests;

import java.util.Arrays;

/** Percentiles of latencies measured in nanoseconds. */
final class Percentiles {
    private Percentiles() {}

    /** The 99th percentile (nearest rank) of {@code nanos}, in milliseconds; 0 when empty. */
    static double p99Millis(long[] nanos) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.99 * sorted.length) - 1;
        return sorted[Math.max(0, rank)] / 1e6;
    }
}
