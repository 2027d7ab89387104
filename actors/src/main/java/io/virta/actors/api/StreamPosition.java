package io.virta.actors.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a subscriber to a whole stream is: for each of the stream's partition logs, the entry it
 * reached and the key's sequence number within that entry. Written as text ({@link #toString()}),
 * e.g. {@code 3-17.0-0.12-4.0-0} for four partitions, which is what a subscription's events carry
 * as their id and what {@code Last-Event-ID} gives back; resuming from it delivers exactly the
 * events after it.
 *
 * <p>Immutable.
 */
public final class StreamPosition {
    private final long[] entries;
    private final long[] seqs;

    private StreamPosition(long[] entries, long[] seqs) {
        this.entries = entries;
        this.seqs = seqs;
    }

    /** The start of a stream with {@code partitions} partitions: nothing read yet. */
    public static StreamPosition start(int partitions) {
        return new StreamPosition(new long[partitions], new long[partitions]);
    }

    /**
     * Reads a position written by {@link #toString()}.
     *
     * @throws IllegalArgumentException when {@code text} is not a position of a stream with {@code
     *     partitions} partitions, with what is wrong
     */
    public static StreamPosition parse(String text, int partitions) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != partitions) {
            throw new IllegalArgumentException(
                    "a stream position has "
                            + partitions
                            + " parts separated by '.', each <entry>-<seq>; '"
                            + text
                            + "' has "
                            + parts.length);
        }
        long[] entries = new long[partitions];
        long[] seqs = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            String[] pair = parts[p].split("-", -1);
            try {
                if (pair.length != 2) {
                    throw new NumberFormatException();
                }
                entries[p] = Long.parseLong(pair[0]);
                seqs[p] = Long.parseLong(pair[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "part " + (p + 1) + " of '" + text + "' is not <entry>-<seq>");
            }
            if (entries[p] < 0 || seqs[p] < 0) {
                throw new IllegalArgumentException(
                        "part " + (p + 1) + " of '" + text + "' is negative");
            }
        }
        return new StreamPosition(entries, seqs);
    }

    /** How many partitions this position covers. */
    public int partitions() {
        return entries.length;
    }

    /** The last entry of partition {@code p} read from, 0 before the first. */
    public long entry(int p) {
        return entries[p];
    }

    /** The key sequence number reached within {@link #entry(int)}. */
    public long seq(int p) {
        return seqs[p];
    }

    /**
     * This position after reading event {@code seq} of entry {@code entry} of partition {@code p}.
     */
    public StreamPosition after(int p, long entry, long seq) {
        long[] e = entries.clone();
        long[] s = seqs.clone();
        e[p] = entry;
        s[p] = seq;
        return new StreamPosition(e, s);
    }

    @Override
    public String toString() {
        return Arrays.stream(indexes())
                .mapToObj(p -> entries[p] + "-" + seqs[p])
                .collect(Collectors.joining("."));
    }

    private int[] indexes() {
        int[] all = new int[entries.length];
        Arrays.setAll(all, i -> i);
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamPosition other
                && Arrays.equals(entries, other.entries)
                && Arrays.equals(seqs, other.seqs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(entries) + Arrays.hashCode(seqs);
    }
}
