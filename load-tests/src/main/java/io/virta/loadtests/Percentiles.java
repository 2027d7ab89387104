package io.virta.loadtests;

import java.util.Arrays;

/** Percentiles of measured latencies. */
final class Percentiles {
    private Percentiles() {}

    /**
     * The {@code q} quantile (0 < q <= 1, nearest rank) of {@code values}, in their unit; 0 when
     * empty.
     */
    static long nearestRank(long[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, rank)];
    }

    /** The 99th percentile (nearest rank) of {@code nanos}, in milliseconds; 0 when empty. */
    static double p99Millis(long[] nanos) {
        return nearestRank(nanos, 0.99) / 1e6;
    }
}
