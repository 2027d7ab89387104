package io.virta.runtime.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.cep.internal.CepOperator;
import io.virta.runtime.cep.internal.Nfa;
import io.virta.runtime.cep.internal.Regex;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The automaton reports exactly the matches of the backtracking reference ({@link Backtracking})
 * for random patterns (concatenation, alternation, groups, greedy and reluctant quantifiers) over
 * random rows of a three-letter alphabet, under every AFTER MATCH SKIP strategy, in order and out
 * of order within the watermark's bound.
 */
class PatternProperties {

    static final long STEP = 1_000;
    static final long WITHIN = 9_000;

    static String type(Row r) {
        return r.value().path("t").asText();
    }

    /** Overlapping conditions, so preference matters; E looks back at the first A. */
    static final Map<String, Condition> CONDITIONS =
            Map.of(
                    "A", (r, m) -> type(r).equals("a"),
                    "B", (r, m) -> type(r).equals("b"),
                    "C", (r, m) -> !type(r).equals("b"),
                    "D", (r, m) -> true,
                    "E",
                            (r, m) ->
                                    m.first("A")
                                            .map(a -> type(a).equals(type(r)))
                                            .orElse(type(r).equals("c")));

    static final List<String> VARS = List.of("A", "B", "C", "D", "E");

    static Regex regex(Random rnd, int depth) {
        int kind = depth >= 3 ? 0 : rnd.nextInt(5);
        switch (kind) {
            case 1 -> {
                List<Regex> items = new ArrayList<>();
                for (int i = 0; i < 2 + rnd.nextInt(2); i++) {
                    items.add(regex(rnd, depth + 1));
                }
                return new Regex.Concat(items);
            }
            case 2 -> {
                return new Regex.Alt(List.of(regex(rnd, depth + 1), regex(rnd, depth + 1)));
            }
            case 3, 4 -> {
                Regex body = nonEmpty(rnd, regex(rnd, depth + 1));
                int min = rnd.nextInt(3);
                int max =
                        rnd.nextInt(3) == 0
                                ? Regex.Repeat.UNBOUNDED
                                : Math.max(1, min + rnd.nextInt(3));
                return new Regex.Repeat(body, min, max, rnd.nextBoolean());
            }
            default -> {
                return new Regex.Var(VARS.get(rnd.nextInt(VARS.size())), Regex.Contiguity.STRICT);
            }
        }
    }

    static boolean nullable(Regex r) {
        if (r instanceof Regex.Var) {
            return false;
        }
        if (r instanceof Regex.Concat c) {
            return c.items().stream().allMatch(PatternProperties::nullable);
        }
        if (r instanceof Regex.Alt a) {
            return a.options().stream().anyMatch(PatternProperties::nullable);
        }
        Regex.Repeat q = (Regex.Repeat) r;
        return q.min() == 0 || nullable(q.body());
    }

    static Regex nonEmpty(Random rnd, Regex r) {
        return nullable(r)
                ? new Regex.Concat(
                        List.of(
                                r,
                                new Regex.Var(VARS.get(rnd.nextInt(4)), Regex.Contiguity.STRICT)))
                : r;
    }

    static AfterMatchSkip skip(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> AfterMatchSkip.toNextRow();
            case 1 -> AfterMatchSkip.toFirst(VARS.get(rnd.nextInt(VARS.size())));
            case 2 -> AfterMatchSkip.toLast(VARS.get(rnd.nextInt(VARS.size())));
            default -> AfterMatchSkip.pastLastRow();
        };
    }

    static List<Row> rows(Random rnd) {
        List<Row> out = new ArrayList<>();
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            ObjectNode v = SqlValues.NODES.objectNode();
            v.put("t", String.valueOf("abc".charAt(rnd.nextInt(3))));
            v.put("i", i);
            out.add(Row.of("k", 10_000 + i * STEP, v));
        }
        return out;
    }

    static ObjectNode describe(Match m) {
        ObjectNode v = SqlValues.NODES.objectNode();
        v.put(
                "found",
                m.firstRow().value().get("i").asInt() + ":" + String.join(" ", m.variables()));
        return v;
    }

    /** Feeds rows in arrival order with watermark = max event time - bound, then flushes. */
    static List<String> run(CepOperator op, List<Row> arrival, long bound) {
        CepState s = op.initialState();
        List<String> out = new ArrayList<>();
        long max = Long.MIN_VALUE;
        for (Row r : arrival) {
            max = Math.max(max, r.eventTime());
            Transition<CepState> t = op.onRecord(s, r, max - bound);
            assertThat(t.late()).isEmpty();
            t.outputs().forEach(o -> out.add(o.value().get("found").asText()));
            s = t.state();
        }
        Transition<CepState> t = op.onWatermark(s, "k", Long.MAX_VALUE - 1);
        t.outputs().forEach(o -> out.add(o.value().get("found").asText()));
        assertThat(op.isEmpty(t.state())).isTrue();
        return out;
    }

    @Property(seed = "20260201", tries = 400)
    void theAutomatonReportsTheBacktrackingMatches(
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long seed) {
        Random rnd = new Random(seed);
        Regex pattern = nonEmpty(rnd, regex(rnd, 0));
        AfterMatchSkip skip = skip(rnd);
        List<Row> rows = rows(rnd);
        List<String> expected =
                new Backtracking(pattern, CONDITIONS, WITHIN, rows)
                        .all(skip).stream().map(Object::toString).toList();
        Nfa nfa = Nfa.compile(pattern, CONDITIONS);
        AfterMatchSkip usable =
                skip instanceof AfterMatchSkip.ToVariable to
                                && !nfa.variables().contains(to.variable())
                        ? AfterMatchSkip.toNextRow()
                        : skip;
        if (usable != skip) {
            expected =
                    new Backtracking(pattern, CONDITIONS, WITHIN, rows)
                            .all(usable).stream().map(Object::toString).toList();
        }
        CepOperator op =
                new CepOperator(
                        nfa, Duration.ofMillis(WITHIN), usable, PatternProperties::describe);
        Statistics.collect(
                expected.isEmpty()
                        ? "no match"
                        : expected.size() == 1 ? "one match" : "several matches");
        assertThat(run(op, rows, 0)).as(pattern + " " + usable).isEqualTo(expected);
    }

    @Property(seed = "20260202", tries = 200)
    void arrivalOrderWithinTheBoundDoesNotChangeTheMatches(
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long seed) {
        Random rnd = new Random(seed);
        Regex pattern = nonEmpty(rnd, regex(rnd, 0));
        List<Row> rows = rows(rnd);
        long bound = 3 * STEP;
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            keyed.add(new long[] {rows.get(i).eventTime() + rnd.nextInt((int) bound), i});
        }
        keyed.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        List<Row> arrival = keyed.stream().map(a -> rows.get((int) a[1])).toList();
        CepOperator op =
                new CepOperator(
                        Nfa.compile(pattern, CONDITIONS),
                        Duration.ofMillis(WITHIN),
                        AfterMatchSkip.pastLastRow(),
                        PatternProperties::describe);
        assertThat(run(op, arrival, bound)).isEqualTo(run(op, rows, 0));
    }
}
