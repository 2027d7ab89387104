package io.virta.runtime.time;

import java.time.Duration;
import java.util.Arrays;

/**
 * A stream's event-time watermark as an immutable value: each call returns a new tracker.
 *
 * <ul>
 *   <li>A partition's watermark is its highest event time seen minus the allowed out-of-orderness
 *       (bounded out-of-orderness, as Flink; Kafka Streams' stream time when the bound is zero).
 *   <li>The stream's watermark is the lowest of its partitions' watermarks; a partition that has
 *       seen no record holds it back, unless idle.
 *   <li>Idleness is judged in processing time, which is an input ({@link #onProcessingTime}): a
 *       partition silent for the idle timeout (a partition never heard from: since the first
 *       processing time the tracker saw) no longer holds the stream back. When every partition is
 *       idle, the watermark catches up with the highest event time seen and then advances with
 *       processing time: {@code maxEventTime + (now - lastArrival - idleTimeout)}.
 *   <li>The watermark never goes back.
 * </ul>
 *
 * <pre>{@code
 * WatermarkTracker wm = WatermarkTracker.create(1, Duration.ofSeconds(5), Duration.ZERO);
 * wm = wm.onRecord(0, 10_000, 0);   // wm.watermark() == 5_000
 * }</pre>
 */
public final class WatermarkTracker {

    /** No watermark yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long outOfOrderMs;
    private final long idleMs;
    private final long[] maxEventTime;
    private final long[] lastArrival;
    private final long now;
    private final long start;
    private final long watermark;

    private WatermarkTracker(
            long outOfOrderMs,
            long idleMs,
            long[] maxEventTime,
            long[] lastArrival,
            long now,
            long start,
            long watermark) {
        this.outOfOrderMs = outOfOrderMs;
        this.idleMs = idleMs;
        this.maxEventTime = maxEventTime;
        this.lastArrival = lastArrival;
        this.now = now;
        this.start = start;
        this.watermark = watermark;
    }

    /**
     * @param partitions how many partitions the stream has, at least 1
     * @param outOfOrderness how far behind the highest event time a record may arrive, not negative
     * @param idleTimeout processing time after which a silent partition stops holding the watermark
     *     back; zero disables idleness
     * @return a tracker with no watermark yet
     * @throws IllegalArgumentException on a bad argument
     */
    public static WatermarkTracker create(
            int partitions, Duration outOfOrderness, Duration idleTimeout) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        if (outOfOrderness.isNegative() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        long[] max = new long[partitions];
        long[] last = new long[partitions];
        Arrays.fill(max, NONE);
        Arrays.fill(last, NONE);
        return new WatermarkTracker(
                outOfOrderness.toMillis(), idleTimeout.toMillis(), max, last, NONE, NONE, NONE);
    }

    /**
     * @param partition the partition the record came from, 0-based
     * @param eventTime the record's event time
     * @param processingTime the processing time of its arrival
     * @return the tracker after this record
     * @throws IndexOutOfBoundsException for an unknown partition
     */
    public WatermarkTracker onRecord(int partition, long eventTime, long processingTime) {
        long[] max = maxEventTime.clone();
        long[] last = lastArrival.clone();
        max[partition] = Math.max(max[partition], eventTime);
        last[partition] = Math.max(last[partition], processingTime);
        long n = Math.max(now, processingTime);
        return recompute(max, last, n);
    }

    /**
     * @param partitions how many partitions the stream has now, as when a topic gains partitions
     * @return this tracker if it has that many already, else one with the new partitions added,
     *     each holding the watermark back (unless idle) until it sees a record; the watermark so
     *     far stays, as it never goes back
     */
    public WatermarkTracker withPartitions(int partitions) {
        if (partitions <= maxEventTime.length) {
            return this;
        }
        long[] max = Arrays.copyOf(maxEventTime, partitions);
        long[] last = Arrays.copyOf(lastArrival, partitions);
        Arrays.fill(max, maxEventTime.length, partitions, NONE);
        Arrays.fill(last, lastArrival.length, partitions, NONE);
        return new WatermarkTracker(outOfOrderMs, idleMs, max, last, now, start, watermark);
    }

    /**
     * @param processingTime the current processing time
     * @return the tracker with idleness re-evaluated at that time
     */
    public WatermarkTracker onProcessingTime(long processingTime) {
        return recompute(maxEventTime, lastArrival, Math.max(now, processingTime));
    }

    private WatermarkTracker recompute(long[] max, long[] last, long n) {
        long firstSeen = start == NONE ? n : start;
        long min = Long.MAX_VALUE;
        boolean anyActive = false;
        long streamMax = NONE;
        long streamLast = NONE;
        for (int p = 0; p < max.length; p++) {
            streamMax = Math.max(streamMax, max[p]);
            streamLast = Math.max(streamLast, last[p]);
            long since = last[p] != NONE ? last[p] : firstSeen;
            boolean idle = idleMs > 0 && since != NONE && n - since >= idleMs;
            if (idle) {
                continue;
            }
            anyActive = true;
            min = Math.min(min, max[p] == NONE ? NONE : max[p] - outOfOrderMs);
        }
        long candidate;
        if (anyActive) {
            candidate = min;
        } else if (streamMax == NONE) {
            candidate = NONE;
        } else {
            candidate = streamMax + (n - streamLast - idleMs);
        }
        return new WatermarkTracker(
                outOfOrderMs, idleMs, max, last, n, firstSeen, Math.max(watermark, candidate));
    }

    /**
     * @return the stream's watermark, or {@link #NONE} before there is one
     */
    public long watermark() {
        return watermark;
    }

    /**
     * @return how many partitions the stream has
     */
    public int partitions() {
        return maxEventTime.length;
    }

    /**
     * @return the highest event time seen on any partition, or {@link #NONE}
     */
    public long maxEventTime() {
        long m = NONE;
        for (long t : maxEventTime) {
            m = Math.max(m, t);
        }
        return m;
    }

    @Override
    public String toString() {
        return "WatermarkTracker[watermark=" + watermark + ", now=" + now + "]";
    }
}
