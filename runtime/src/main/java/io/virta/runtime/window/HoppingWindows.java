package io.virta.runtime.window;

import io.virta.runtime.operator.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size windows that start every {@code advance}: a record belongs to every window {@code [s,
 * s + size)} with {@code s} a multiple of {@code advance} and {@code s <= t < s + size}, that is
 * {@code size / advance} windows when advance divides size.
 *
 * <pre>{@code
 * HoppingWindows w = HoppingWindows.of(Duration.ofMinutes(10), Duration.ofMinutes(1));
 * }</pre>
 */
public final class HoppingWindows implements WindowSpec {

    private final long sizeMs;
    private final long advanceMs;
    private final Duration grace;

    private HoppingWindows(long sizeMs, long advanceMs, Duration grace) {
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.grace = grace;
    }

    /**
     * @param size the window size, positive
     * @param advance the hop, positive and not larger than size
     * @return hopping windows with no grace period
     * @throws IllegalArgumentException when size or advance is not positive or advance &gt; size
     */
    public static HoppingWindows of(Duration size, Duration advance) {
        long s = WindowSpec.positive(size, "size");
        long a = WindowSpec.positive(advance, "advance");
        if (a > s) {
            throw new IllegalArgumentException(
                    "advance " + advance + " must not be larger than size " + size);
        }
        return new HoppingWindows(s, a, Duration.ZERO);
    }

    @Override
    public HoppingWindows withGrace(Duration grace) {
        return new HoppingWindows(sizeMs, advanceMs, WindowSpec.nonNegative(grace, "grace"));
    }

    /**
     * @return the window size
     */
    public Duration size() {
        return Duration.ofMillis(sizeMs);
    }

    /**
     * @return the hop between window starts
     */
    public Duration advance() {
        return Duration.ofMillis(advanceMs);
    }

    @Override
    public Duration grace() {
        return grace;
    }

    @Override
    public List<Window> assign(long t) {
        long lastStart = t - Math.floorMod(t, advanceMs);
        List<Window> out = new ArrayList<>((int) (sizeMs / advanceMs) + 1);
        long first = lastStart;
        while (first - advanceMs > t - sizeMs) {
            first -= advanceMs;
        }
        for (long s = first; s <= lastStart; s += advanceMs) {
            out.add(new Window(s, s + sizeMs));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HoppingWindows w
                && w.sizeMs == sizeMs
                && w.advanceMs == advanceMs
                && w.grace.equals(grace);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(sizeMs) * 31 + Long.hashCode(advanceMs)) * 31 + grace.hashCode();
    }

    @Override
    public String toString() {
        return "HOPPING(SIZE "
                + sizeMs
                + " ms, ADVANCE "
                + advanceMs
                + " ms, GRACE "
                + grace.toMillis()
                + " ms)";
    }
}
