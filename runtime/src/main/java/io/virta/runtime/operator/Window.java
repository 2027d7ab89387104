package io.virta.runtime.operator;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A half-open interval of event time {@code [start, end)} in epoch milliseconds. The {@link
 * #GLOBAL} window holds the aggregates of non-windowed queries and never closes.
 *
 * @param start inclusive start
 * @param end exclusive end, greater than start
 */
public record Window(long start, long end) implements Comparable<Window> {

    /** The window of non-windowed aggregations: all of time. */
    public static final Window GLOBAL = new Window(Long.MIN_VALUE, Long.MAX_VALUE);

    /**
     * @throws IllegalArgumentException when end is not after start
     */
    public Window {
        if (end <= start) {
            throw new IllegalArgumentException("window end " + end + " <= start " + start);
        }
    }

    /**
     * @return whether this is {@link #GLOBAL}
     */
    @JsonIgnore
    public boolean isGlobal() {
        return start == Long.MIN_VALUE && end == Long.MAX_VALUE;
    }

    /**
     * @param other another window
     * @return whether the two intervals share an instant
     */
    public boolean intersects(Window other) {
        return start < other.end && other.start < end;
    }

    /**
     * @param other another window
     * @return the smallest window covering both
     */
    public Window cover(Window other) {
        return new Window(Math.min(start, other.start), Math.max(end, other.end));
    }

    @Override
    public int compareTo(Window o) {
        int c = Long.compare(start, o.start);
        return c != 0 ? c : Long.compare(end, o.end);
    }
}
