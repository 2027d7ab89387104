package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Window;
import io.virta.runtime.window.HoppingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Property tests with fixed seeds: out-of-order arrival, session merging, hopping windows. */
class WindowProperties {

    static final long BOUND = 5_000;

    record Event(String key, long time, int amount) {}

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> step =
                Combinators.combine(
                                Arbitraries.of("a", "b", "c"),
                                Arbitraries.longs().between(0, 3_000),
                                Arbitraries.integers().between(-50, 50))
                        .as((k, dt, amount) -> new Event(k, dt, amount));
        return step.list()
                .ofMinSize(1)
                .ofMaxSize(60)
                .map(
                        steps -> {
                            List<Event> out = new ArrayList<>();
                            long t = 1_000_000;
                            for (Event s : steps) {
                                t += s.time();
                                out.add(new Event(s.key(), t, s.amount()));
                            }
                            return out;
                        });
    }

    private static TreeMap<String, String> finalResults(String window, List<Event> arrival) {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM s (k STRING KEY, amount INT) WITH (OUT_OF_ORDERNESS='"
                        + BOUND
                        + " MILLISECONDS')");
        d.execute(
                "CREATE TABLE r AS SELECT k, COUNT(*) AS n, SUM(amount) AS total, MIN(amount) AS lo,"
                        + " MAX(amount) AS hi FROM s WINDOW "
                        + window
                        + " GROUP BY k EMIT FINAL");
        for (Event e : arrival) {
            d.pipe("s", e.time(), "{\"k\":\"" + e.key() + "\",\"amount\":" + e.amount() + "}");
        }
        assertThat(d.lateCount("r")).isZero();
        d.advanceWatermark("s", Long.MAX_VALUE - 1);
        TreeMap<String, String> out = new TreeMap<>();
        for (Row r : d.output("r")) {
            String k = r.key() + "@" + r.window();
            assertThat(out.put(k, r.value().toString())).as("emitted once: " + k).isNull();
        }
        return out;
    }

    /** Arrival order: sort by time plus a jitter below the bound, so no record is late. */
    private static List<Event> reorder(List<Event> events, long seed) {
        Random random = new Random(seed);
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            keyed.add(new long[] {events.get(i).time() + random.nextInt((int) BOUND), i});
        }
        keyed.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        return keyed.stream().map(a -> events.get((int) a[1])).toList();
    }

    @Property(seed = "20260101", tries = 60)
    void reorderingWithinTheBoundGivesTheSameFinalTumblingResults(
            @ForAll("events") List<Event> events,
            @ForAll @LongRange(min = 1, max = 999) long seed) {
        String w = "TUMBLING (SIZE 10 SECONDS)";
        assertThat(finalResults(w, reorder(events, seed))).isEqualTo(finalResults(w, events));
    }

    @Property(seed = "20260102", tries = 40)
    void reorderingWithinTheBoundGivesTheSameFinalHoppingResults(
            @ForAll("events") List<Event> events,
            @ForAll @LongRange(min = 1, max = 999) long seed) {
        String w = "HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)";
        assertThat(finalResults(w, reorder(events, seed))).isEqualTo(finalResults(w, events));
    }

    @Property(seed = "20260103", tries = 60)
    void reorderingWithinTheBoundGivesTheSameFinalSessions(
            @ForAll("events") List<Event> events,
            @ForAll @LongRange(min = 1, max = 999) long seed) {
        String w = "SESSION (2 SECONDS)";
        assertThat(finalResults(w, reorder(events, seed))).isEqualTo(finalResults(w, events));
    }

    @Property(seed = "20260104", tries = 80)
    void sessionsAreTheGapSeparatedRunsWhateverTheArrivalOrder(
            @ForAll("events") List<Event> events,
            @ForAll @LongRange(min = 1, max = 999) long seed) {
        long gap = 2_000;
        List<Long> times = events.stream().map(Event::time).sorted().toList();
        List<Window> expected = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long start = times.get(0);
        long last = start;
        long n = 1;
        for (long t : times.subList(1, times.size())) {
            if (t >= last + gap) {
                expected.add(new Window(start, last + gap));
                counts.add(n);
                start = t;
                n = 0;
            }
            last = Math.max(last, t);
            n++;
        }
        expected.add(new Window(start, last + gap));
        counts.add(n);

        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING, amount INT) WITH (OUT_OF_ORDERNESS='10 SECONDS')");
        d.execute(
                "CREATE TABLE r AS SELECT COUNT(*) AS n FROM s WINDOW SESSION (2 SECONDS) EMIT FINAL");
        for (Event e : reorder(events, seed)) {
            d.pipe("s", e.time(), "{\"amount\":1}");
        }
        d.advanceWatermark("s", Long.MAX_VALUE - 1);
        List<Row> out = d.output("r");
        assertThat(out.stream().map(Row::window).toList()).isEqualTo(expected);
        assertThat(out.stream().map(r -> r.value().get("n").asLong()).toList()).isEqualTo(counts);
    }

    @Property(seed = "20260105", tries = 200)
    void aHoppingWindowOfSizeSAndAdvanceAPutsEachRecordInSOverAWindows(
            @ForAll @IntRange(min = 1, max = 60) int advanceSeconds,
            @ForAll @IntRange(min = 1, max = 12) int ratio,
            @ForAll @LongRange(min = -10_000_000, max = 10_000_000_000L) long t) {
        var hop =
                HoppingWindows.of(
                        Duration.ofSeconds((long) advanceSeconds * ratio),
                        Duration.ofSeconds(advanceSeconds));
        List<Window> ws = hop.assign(t);
        assertThat(ws).hasSize(ratio);
        assertThat(ws).allMatch(w -> w.start() <= t && t < w.end());
        assertThat(ws).allMatch(w -> Math.floorMod(w.start(), advanceSeconds * 1000L) == 0);
    }

    @Property(seed = "20260106", tries = 30)
    void hoppingCountsThroughTheDriverAreSOverAPerRecord(@ForAll("events") List<Event> events) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, amount INT)");
        d.execute(
                "CREATE TABLE r AS SELECT k, COUNT(*) AS n FROM s WINDOW HOPPING (SIZE 9 SECONDS,"
                        + " ADVANCE BY 3 SECONDS) GROUP BY k EMIT FINAL");
        events.forEach(e -> d.pipe("s", e.time(), "{\"k\":\"" + e.key() + "\",\"amount\":1}"));
        d.advanceWatermark("s", Long.MAX_VALUE - 1);
        long total = d.output("r").stream().mapToLong(r -> r.value().get("n").asLong()).sum();
        assertThat(total).isEqualTo(3L * events.size());
    }
}
