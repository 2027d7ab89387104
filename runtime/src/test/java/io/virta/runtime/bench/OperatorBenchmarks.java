package io.virta.runtime.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.AggregateState;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.Step;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.types.SqlValues;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Events per second on one thread through a compiled plan: stateless steps, re-key, the keyed
 * aggregate operator with one immutable state per key, and timers that close windows as the
 * watermark (max event time, no out-of-orderness) advances. One benchmark op = one event.
 *
 * <p>Not a test. Run with:
 *
 * <pre>
 * ./mvnw -pl runtime test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main -wi 2 -i 3 -f 1 -w 2s -r 3s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OperatorBenchmarks {

    @Param({"tumbling_count_10k_keys", "hopping_avg", "session_collect_list"})
    public String query;

    private QueryPlan plan;
    private KeyedOperator<AggregateState> operator;
    private final Map<String, AggregateState> states = new HashMap<>();
    private final Map<String, Long> timerOfKey = new HashMap<>();
    private final TreeMap<Long, TreeSet<String>> keysByTimer = new TreeMap<>();
    private long i;
    private int keys;
    private int burst;

    @Setup(Level.Trial)
    public void setUp() {
        Catalog c =
                Catalog.empty()
                        .with(
                                Planner.describe(
                                        (Statement.CreateSource)
                                                SqlParser.parse(
                                                        "CREATE STREAM events (k STRING, v INT,"
                                                                + " s STRING)")));
        String sql =
                switch (query) {
                    case "tumbling_count_10k_keys" -> {
                        keys = 10_000;
                        burst = 1;
                        yield "CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM events WINDOW"
                                + " TUMBLING (SIZE 1 MINUTE) GROUP BY k EMIT CHANGES";
                    }
                    case "hopping_avg" -> {
                        keys = 1_000;
                        burst = 1;
                        yield "CREATE TABLE t AS SELECT k, AVG(v) AS a FROM events WINDOW HOPPING"
                                + " (SIZE 10 SECONDS, ADVANCE BY 1 SECOND) GROUP BY k EMIT CHANGES";
                    }
                    default -> {
                        keys = 1_000;
                        burst = 50;
                        yield "CREATE TABLE t AS SELECT k, COLLECT_LIST(s) AS l FROM events"
                                + " WINDOW SESSION (5 SECONDS) GROUP BY k EMIT CHANGES";
                    }
                };
        plan = Planner.plan((Statement.CreateAsSelect) SqlParser.parse(sql), c);
        operator = plan.aggregate().orElseThrow().operator();
    }

    @Benchmark
    public void event(Blackhole bh) {
        long t = i;
        ObjectNode v = SqlValues.NODES.objectNode();
        v.put("k", "key-" + ((i / burst) % keys));
        v.put("v", (int) (i % 1000));
        v.put("s", "a");
        i++;
        Row row = Row.of(null, t, v);
        for (Step s : plan.steps()) {
            if (s instanceof Step.Filter f && !f.predicate().test(row)) {
                return;
            } else if (s instanceof Step.Project p) {
                row = p.projection().apply(row);
            } else if (s instanceof Step.Rekey r) {
                row = row.withKey(r.key().apply(row));
            }
        }
        String key = row.key();
        Transition<AggregateState> tr =
                operator.onRecord(states.getOrDefault(key, AggregateState.EMPTY), row, t);
        bh.consume(tr.outputs());
        store(key, tr.state());
        while (!keysByTimer.isEmpty() && keysByTimer.firstKey() <= t) {
            for (String k : keysByTimer.pollFirstEntry().getValue()) {
                timerOfKey.remove(k);
                Transition<AggregateState> w = operator.onWatermark(states.get(k), k, t);
                bh.consume(w.outputs());
                store(k, w.state());
            }
        }
    }

    private void store(String key, AggregateState state) {
        Long old = timerOfKey.remove(key);
        if (old != null) {
            TreeSet<String> set = keysByTimer.get(old);
            set.remove(key);
            if (set.isEmpty()) {
                keysByTimer.remove(old);
            }
        }
        if (operator.isEmpty(state)) {
            states.remove(key);
            return;
        }
        states.put(key, state);
        long next = operator.nextTimer(state);
        if (next != Long.MAX_VALUE) {
            timerOfKey.put(key, next);
            keysByTimer.computeIfAbsent(next, x -> new TreeSet<>()).add(key);
        }
    }
}
