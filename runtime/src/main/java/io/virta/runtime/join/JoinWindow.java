package io.virta.runtime.join;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of an interval join: a right row joins a left row of the same key when {@code
 * left.time - before <= right.time <= left.time + after} (SQL {@code WITHIN n} is {@code before =
 * after = n}; {@code WITHIN (before, after)} gives both). Immutable.
 */
public final class JoinWindow {

    private final Duration before;
    private final Duration after;

    private JoinWindow(Duration before, Duration after) {
        this.before = before;
        this.after = after;
    }

    /**
     * @param size how far apart the two rows may be, either way; not negative
     * @return the window
     * @throws IllegalArgumentException when negative
     */
    public static JoinWindow of(Duration size) {
        return of(size, size);
    }

    /**
     * @param before how far the right row may be before the left one; not negative
     * @param after how far the right row may be after the left one; not negative
     * @return the window
     * @throws IllegalArgumentException when either is negative
     */
    public static JoinWindow of(Duration before, Duration after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.isNegative() || after.isNegative()) {
            throw new IllegalArgumentException("join window bounds must not be negative");
        }
        return new JoinWindow(before, after);
    }

    /**
     * @return how far the right row may be before the left one
     */
    public Duration before() {
        return before;
    }

    /**
     * @return how far the right row may be after the left one
     */
    public Duration after() {
        return after;
    }

    /**
     * @param leftTime a left row's event time
     * @param rightTime a right row's event time
     * @return whether the two rows are close enough to join
     */
    public boolean contains(long leftTime, long rightTime) {
        return rightTime >= leftTime - before.toMillis()
                && rightTime <= leftTime + after.toMillis();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinWindow w && w.before.equals(before) && w.after.equals(after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(before, after);
    }

    @Override
    public String toString() {
        return before.equals(after) ? "WITHIN " + before : "WITHIN (" + before + ", " + after + ")";
    }
}
