package io.virta.runtime.window;

import io.virta.runtime.operator.Window;
import java.time.Duration;
import java.util.List;

/**
 * Windows of activity separated by gaps: a record at {@code t} opens {@code [t, t + gap)}, and
 * windows of the same key that intersect merge into one (a record that bridges two sessions joins
 * them). A session {@code [first, last + gap)} closes when the watermark reaches its end plus
 * grace.
 *
 * <p>Windows are half-open, so two records exactly {@code gap} apart are two sessions; Kafka
 * Streams and Flink count that distance as inside the gap and would make one session. A record must
 * come strictly less than {@code gap} after the previous one to extend its session.
 *
 * <pre>{@code
 * SessionWindows w = SessionWindows.withGap(Duration.ofMinutes(15));
 * }</pre>
 */
public final class SessionWindows implements WindowSpec {

    private final long gapMs;
    private final Duration grace;

    private SessionWindows(long gapMs, Duration grace) {
        this.gapMs = gapMs;
        this.grace = grace;
    }

    /**
     * @param gap the inactivity gap, positive
     * @return session windows with no grace period
     * @throws IllegalArgumentException when gap is not positive
     */
    public static SessionWindows withGap(Duration gap) {
        return new SessionWindows(WindowSpec.positive(gap, "gap"), Duration.ZERO);
    }

    @Override
    public SessionWindows withGrace(Duration grace) {
        return new SessionWindows(gapMs, WindowSpec.nonNegative(grace, "grace"));
    }

    /**
     * @return the inactivity gap
     */
    public Duration gap() {
        return Duration.ofMillis(gapMs);
    }

    @Override
    public Duration grace() {
        return grace;
    }

    @Override
    public List<Window> assign(long t) {
        return List.of(new Window(t, t + gapMs));
    }

    @Override
    public boolean merging() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionWindows w && w.gapMs == gapMs && w.grace.equals(grace);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(gapMs) * 31 + grace.hashCode();
    }

    @Override
    public String toString() {
        return "SESSION(GAP " + gapMs + " ms, GRACE " + grace.toMillis() + " ms)";
    }
}
