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
 * a record that only falls into closed windows is late and goes to the query's {@code <name>_late}
 * side stream, where it is counted (never dropped silently).
 *
 * <h2>Default grace period: zero</h2>
 *
 * <p>Every factory ({@link TumblingWindows#of}, {@link HoppingWindows#of}, {@link
 * SessionWindows#withGap}, and SQL windows written without {@code GRACE PERIOD} or {@code ALLOWED
 * LATENESS}) starts with a grace period of <b>zero</b>: a window closes as soon as the watermark
 * passes its end. How others choose:
 *
 * <ul>
 *   <li>Kafka Streams used to default to 24 hours, so {@code EMIT FINAL}-style results (suppress)
 *       appeared a day late; KIP-633 (Kafka 3.0) deprecated that default and made the choice
 *       explicit ({@code TimeWindows.ofSizeWithNoGrace} / {@code ofSizeAndGrace}).
 *   <li>ksqlDB, built on Kafka Streams, inherited the 24-hour default for windowed aggregations
 *       written without {@code GRACE PERIOD}; since 0.23 it recommends always writing the clause
 *       and has announced it will become mandatory.
 *   <li>Flink's {@code allowedLateness} defaults to zero; out-of-order data is absorbed by the
 *       watermark (bounded out-of-orderness) instead.
 * </ul>
 *
 * <p>Virta follows Flink: disorder is absorbed first by the source's {@code OUT_OF_ORDERNESS} (the
 * watermark lags the highest event time by it), so a zero grace period does not mean zero
 * tolerance, and {@code EMIT FINAL} results come out promptly. Write {@code GRACE PERIOD} (or call
 * {@link #withGrace}) to keep windows open longer for a particular query.
 *
 * <pre>{@code
 * WindowSpec w = TumblingWindows.of(Duration.ofMinutes(5));        // grace 0
 * WindowSpec g = w.withGrace(Duration.ofSeconds(30));              // closes at end + 30 s
 * long closes = g.closeTime(new Window(0, 300_000));               // 330_000
 * }</pre>
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
