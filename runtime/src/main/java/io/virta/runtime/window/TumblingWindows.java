package io.virta.runtime.window;

import io.virta.runtime.operator.Window;
import java.time.Duration;
import java.util.List;

/**
 * Fixed-size, non-overlapping windows aligned to the epoch: a record at {@code t} belongs to {@code
 * [t - t mod size, t - t mod size + size)}.
 *
 * <pre>{@code
 * TumblingWindows w = TumblingWindows.of(Duration.ofMinutes(5)).withGrace(Duration.ofSeconds(30));
 * }</pre>
 */
public final class TumblingWindows implements WindowSpec {

    private final long sizeMs;
    private final Duration grace;

    private TumblingWindows(long sizeMs, Duration grace) {
        this.sizeMs = sizeMs;
        this.grace = grace;
    }

    /**
     * @param size the window size, positive
     * @return tumbling windows of that size with no grace period
     * @throws IllegalArgumentException when size is not positive
     */
    public static TumblingWindows of(Duration size) {
        return new TumblingWindows(WindowSpec.positive(size, "size"), Duration.ZERO);
    }

    @Override
    public TumblingWindows withGrace(Duration grace) {
        return new TumblingWindows(sizeMs, WindowSpec.nonNegative(grace, "grace"));
    }

    /**
     * @return the window size
     */
    public Duration size() {
        return Duration.ofMillis(sizeMs);
    }

    @Override
    public Duration grace() {
        return grace;
    }

    @Override
    public List<Window> assign(long t) {
        long start = t - Math.floorMod(t, sizeMs);
        return List.of(new Window(start, start + sizeMs));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TumblingWindows w && w.sizeMs == sizeMs && w.grace.equals(grace);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sizeMs) * 31 + grace.hashCode();
    }

    @Override
    public String toString() {
        return "TUMBLING(SIZE " + sizeMs + " ms, GRACE " + grace.toMillis() + " ms)";
    }
}
