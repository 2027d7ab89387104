package io.virta.loadtests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pattern automaton on its own: Virta's compiled {@code MATCH_RECOGNIZE} and Flink CEP on the
 * same pattern and the same generated events, one after the other in one run. Pattern: per user, a
 * failed login, one or more failed logins, then a successful login from another address than the
 * first, within 10 minutes ({@code A B+ C}, strict contiguity, after a match skip past its last
 * row).
 *
 * <p>The events are generated, not read from a broker, so that only the automata are compared:
 * event {@code n} (from 0) belongs to {@code user-(n % keys)}, has event time {@code n * 10} ms,
 * action {@code [login_failure, login_failure, login_success, view][(n / keys) % 4]} and address
 * {@code 10.0.0.(n % 7)}; events arrive in event-time order and the watermark is the event time.
 * Flink's job ({@code load-tests/flink}, {@code FlinkCep}) generates the same sequence.
 *
 * <p>Virta: the operator the planner compiles, driven in this thread with each key's state in a
 * map, as a key's entity would drive it but without the actor, journal and network around it.
 * Flink: a local MiniCluster job, parallelism 1, a bounded source, {@code keyBy} user, {@code
 * CEP.pattern}, matches counted; its own net job runtime, so its figure includes Flink's record
 * exchange between tasks and its heap state backend. Both counts of matches are printed and must be
 * equal.
 *
 * <p>System properties (defaults): {@code events} (2000000), {@code keys} (10000), {@code engines}
 * ({@code virta,flink}), {@code results} (a file for {@link ComparisonRows}).
 */
public final class CepBenchmark {
    private static final String[] ACTIONS = {
        "login_failure", "login_failure", "login_success", "view"
    };

    private CepBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 2_000_000);
        int keys = Integer.getInteger("keys", 10_000);
        String engines = System.getProperty("engines", "virta,flink");

        Result virta = null;
        if (engines.contains("virta")) {
            runVirta(Math.max(1, events / 4), keys); // warm-up, not reported
            virta = runVirta(events, keys);
            System.out.printf(
                    "Virta automaton: %,d events in %.2f s, %,d matches%n",
                    events, virta.seconds(), virta.matches());
        }
        Result flink = null;
        if (engines.contains("flink")) {
            flink = runFlink(events, keys);
            System.out.printf(
                    "Flink CEP      : %,d events in %.2f s, %,d matches%n",
                    events, flink.seconds(), flink.matches());
        }

        System.out.printf(
                "%nmachine: %d cores, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        String section = String.format("CEP A B+ C within 10 min, %,d keys", keys);
        if (flink != null) {
            System.out.printf("Flink CEP 2.2   : %,14.0f events/s%n", events / flink.seconds());
            ComparisonRows.add(
                    section, "Flink CEP", "throughput", events / flink.seconds(), "events/s", true);
        }
        if (virta != null) {
            System.out.printf("Virta automaton : %,14.0f events/s%n", events / virta.seconds());
            ComparisonRows.add(
                    section,
                    "Virta automaton",
                    "throughput",
                    events / virta.seconds(),
                    "events/s",
                    flink == null);
        }
        if (virta != null && flink != null) {
            System.out.printf("ratio Virta / Flink CEP: %.2f%n", flink.seconds() / virta.seconds());
            if (virta.matches() != flink.matches()) {
                throw new IllegalStateException(
                        "the engines disagree: Virta found "
                                + virta.matches()
                                + " matches, Flink CEP "
                                + flink.matches());
            }
        }
        System.exit(0);
    }

    /** Seconds an engine took for the events, and the matches it found. */
    record Result(double seconds, long matches) {}

    /** Runs {@code FlinkCep} in a JVM of its own and reads its result line. */
    private static Result runFlink(int events, int keys) throws Exception {
        try (FlinkProcess job =
                FlinkProcess.start(
                        "io.virta.loadtests.flink.FlinkCep",
                        List.of(String.valueOf(events), String.valueOf(keys)),
                        "flink-cep",
                        System.nanoTime())) {
            for (String line : job.awaitExit(Duration.ofMinutes(20))) {
                if (line.startsWith("RESULT ")) {
                    String[] parts = line.split(" ");
                    return new Result(Double.parseDouble(parts[1]), Long.parseLong(parts[2]));
                }
            }
            throw new IllegalStateException("FlinkCep printed no RESULT line");
        }
    }

    @SuppressWarnings("unchecked")
    private static Result runVirta(int events, int keys) {
        Catalog catalog =
                Catalog.empty()
                        .with(
                                Planner.describe(
                                        (Statement.CreateSource)
                                                SqlParser.parse(
                                                        "CREATE STREAM logins (user_id STRING,"
                                                                + " action_type STRING, ip_address"
                                                                + " STRING, event_time BIGINT) WITH"
                                                                + " (TIMESTAMP='event_time')")));
        QueryPlan plan =
                Planner.plan(
                        (Statement.CreateAsSelect)
                                SqlParser.parse(
                                        "CREATE STREAM suspicious AS SELECT user_id FROM logins"
                                                + " MATCH_RECOGNIZE (PARTITION BY user_id ORDER BY"
                                                + " event_time MEASURES FIRST(A.event_time) AS"
                                                + " start_time, LAST(B.event_time) AS end_time"
                                                + " AFTER MATCH SKIP PAST LAST ROW PATTERN (A B+ C)"
                                                + " WITHIN 10 MINUTES DEFINE A AS A.action_type ="
                                                + " 'login_failure', B AS B.action_type ="
                                                + " 'login_failure', C AS C.action_type ="
                                                + " 'login_success' AND C.ip_address !="
                                                + " A.ip_address)"),
                        catalog);
        KeyedOperator<Object> cep = (KeyedOperator<Object>) plan.keyed().orElseThrow().operator();
        Map<String, Object> states = new HashMap<>();
        long matches = 0;
        long start = System.nanoTime();
        for (int n = 0; n < events; n++) {
            long t = n * 10L;
            ObjectNode v = SqlValues.NODES.objectNode();
            v.put("user_id", "user-" + (n % keys));
            v.put("action_type", ACTIONS[(n / keys) % ACTIONS.length]);
            v.put("ip_address", "10.0.0." + (n % 7));
            v.put("event_time", t);
            Row row = plan.applyStateless(Row.of(null, t, v)).orElseThrow();
            Transition<Object> next =
                    cep.onRecord(states.getOrDefault(row.key(), cep.initialState()), row, t);
            matches += next.outputs().size();
            states.put(row.key(), next.state());
        }
        return new Result((System.nanoTime() - start) / 1e9, matches);
    }
}
