package io.virta.runtime.window;

import io.virta.runtime.operator.Window;
import java.time.Duration;
import java.util.List;

/**
 * How records are grouped in event time: {@link TumblingWindows}, {@link HoppingWindows} or {@link
 * SessionWindows}. Specs are immutable values with validating factories; the aggregate operator
 * drives them.
 *
 * <p>A window {@code [start, end)} closes when the stream's watermark reaches {@code end + grace};
 * a record that only falls into closed windows is late.
 */
public sealed interface WindowSpec permits TumblingWindows, HoppingWindows, SessionWindows {

    /**
     * @return the grace period (allowed lateness) after the window end
     */
    Duration grace();

    /**
     * @param grace the new grace period, zero or positive
     * @return a copy with that grace period
     * @throws IllegalArgumentException when grace is negative
     */
    WindowSpec withGrace(Duration grace);

    /**
     * The windows a record at this event time belongs to before any merging: one for tumbling,
     * {@code ceil(size / advance)} for hopping, the record's own {@code [t, t + gap)} for sessions.
     *
     * @param eventTime the record's event time, epoch milliseconds
     * @return the windows, ordered by start
     */
    List<Window> assign(long eventTime);

    /**
     * @return whether windows merge when they intersect (sessions)
     */
    default boolean merging() {
        return false;
    }

    /**
     * @param window a window of this spec
     * @return the watermark at which it closes: {@code end + grace}, saturating
     */
    default long closeTime(Window window) {
        long g = grace().toMillis();
        return window.end() > Long.MAX_VALUE - g ? Long.MAX_VALUE : window.end() + g;
    }

    /** Checks a duration is positive. */
    static long positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d.toMillis();
    }

    /** Checks a duration is zero or positive. */
    static Duration nonNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d;
    }
}
