package io.virta.actors.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Which of a key's events to replay: those with a sequence number from {@link #fromSeq()}, an event
 * time in {@code [from, to)}, at most {@link #limit()} of them, in sequence order.
 *
 * <pre>{@code
 * ReplayQuery q = ReplayQuery.all().withFromSeq(100).withLimit(50);
 * }</pre>
 */
public final class ReplayQuery {
    /** The largest limit a query may ask for. */
    public static final int MAX_LIMIT = 10_000;

    private static final ReplayQuery ALL = new ReplayQuery(1, null, null, 1_000);

    private final long fromSeq;
    private final Instant from;
    private final Instant to;
    private final int limit;

    private ReplayQuery(long fromSeq, Instant from, Instant to, int limit) {
        if (fromSeq < 1) {
            throw new IllegalArgumentException("fromSeq must be 1 or more, was " + fromSeq);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "from (" + from + ") must be before to (" + to + ")");
        }
        this.fromSeq = fromSeq;
        this.from = from;
        this.to = to;
        this.limit = limit;
    }

    /** From the first event, any event time, at most 1,000 events. */
    public static ReplayQuery all() {
        return ALL;
    }

    /**
     * @throws IllegalArgumentException when {@code fromSeq < 1}
     */
    public ReplayQuery withFromSeq(long fromSeq) {
        return new ReplayQuery(fromSeq, from, to, limit);
    }

    /**
     * Only events whose event time is at or after {@code from}; @throws IllegalArgumentException if
     * not before to
     */
    public ReplayQuery withFrom(Instant from) {
        return new ReplayQuery(fromSeq, from, to, limit);
    }

    /**
     * Only events whose event time is before {@code to}; @throws IllegalArgumentException if not
     * after from
     */
    public ReplayQuery withTo(Instant to) {
        return new ReplayQuery(fromSeq, from, to, limit);
    }

    /**
     * @throws IllegalArgumentException when not within 1 and {@link #MAX_LIMIT}
     */
    public ReplayQuery withLimit(int limit) {
        return new ReplayQuery(fromSeq, from, to, limit);
    }

    public long fromSeq() {
        return fromSeq;
    }

    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    public int limit() {
        return limit;
    }

    /** True when {@code eventTimeMillis} is within {@code [from, to)}. */
    public boolean covers(long eventTimeMillis) {
        return (from == null || eventTimeMillis >= from.toEpochMilli())
                && (to == null || eventTimeMillis < to.toEpochMilli());
    }
}
