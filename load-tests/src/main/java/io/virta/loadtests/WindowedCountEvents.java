package io.virta.loadtests;

import java.time.Instant;

/**
 * The events of {@link WindowedCountBenchmark}, the same whichever broker they are written to, and
 * what every engine's output must hold for them.
 *
 * <p>Event {@code i} (0 to {@code events - 1}) has the key {@code u<i mod keys>}, the event time
 * {@code 2024-05-01T12:00:00Z + minutes * i / events} (rising, spread evenly over {@code minutes})
 * and the value {@code {"usr":"u<n>","ts":"<ISO-8601 event time>"}}. The last minute's window never
 * closes (no later event passes its end), so an engine delivers one result per key and earlier
 * minute ({@link #closedWindows}), whose counts add up to {@link #closedEvents}.
 */
final class WindowedCountEvents {
    private static final long START = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();

    /** Receives the events in order; a broker's producer writes each as a record. */
    @FunctionalInterface
    interface Writer {
        void write(String key, long eventTime, String value) throws Exception;
    }

    private final int events;
    private final int keys;
    private final int minutes;
    private final long closedEvents;

    /**
     * @param minutes of event time the events span, at least 2 (else no window closes)
     */
    WindowedCountEvents(int events, int keys, int minutes) {
        if (events < 1 || keys < 1 || minutes < 2) {
            throw new IllegalArgumentException(
                    "need events >= 1, keys >= 1 and minutes >= 2, got %d, %d, %d"
                            .formatted(events, keys, minutes));
        }
        this.events = events;
        this.keys = keys;
        this.minutes = minutes;
        long closed = 0;
        for (int i = 0; i < events; i++) {
            if (eventTime(i) < START + (minutes - 1) * 60_000L) {
                closed++;
            }
        }
        this.closedEvents = closed;
    }

    int events() {
        return events;
    }

    int keys() {
        return keys;
    }

    /** Hands every event to {@code writer}, in order; the same events on every call. */
    void forEach(Writer writer) throws Exception {
        for (int i = 0; i < events; i++) {
            String key = "u" + (i % keys);
            long time = eventTime(i);
            writer.write(
                    key,
                    time,
                    "{\"usr\":\"%s\",\"ts\":\"%s\"}".formatted(key, Instant.ofEpochMilli(time)));
        }
    }

    /**
     * The results each engine must deliver: one per key and closed minute (with as many events as
     * keys or more, every key has an event in every minute).
     */
    long closedWindows() {
        return (long) keys * (minutes - 1);
    }

    /** The events in the windows that close: all but the last minute's. */
    long closedEvents() {
        return closedEvents;
    }

    /**
     * Fails unless the counts read from {@code topic} add up to {@link #closedEvents}: nothing
     * lost, nothing counted twice.
     *
     * @throws IllegalStateException if they do not
     */
    void checkCounts(String topic, long counted) {
        if (counted != closedEvents) {
            throw new IllegalStateException(
                    topic + ": window counts add up to " + counted + ", not " + closedEvents);
        }
        System.out.printf("%s: counts add up to %,d events, as they should%n", topic, counted);
    }

    private long eventTime(int i) {
        return START + minutes * 60_000L * i / events;
    }
}
