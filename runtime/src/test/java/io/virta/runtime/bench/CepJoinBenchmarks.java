package io.virta.runtime.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.types.SqlValues;
import java.util.HashMap;
import java.util.Map;
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
 * Events per second on one thread through compiled SQL: the suspicious-login MATCH_RECOGNIZE over
 * 10,000 keys, and a 1-minute interval join over 10,000 keys. Watermark = event time (no
 * out-of-orderness); one benchmark op = one event. Timers are not indexed here: WITHIN pruning and
 * join eviction happen on each key's own rows, as they would for a busy key.
 *
 * <p>Not a test. Run with:
 *
 * <pre>
 * ./mvnw -pl runtime test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main CepJoinBenchmarks -wi 6 -i 5 -f 1 -w 3s -r 3s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CepJoinBenchmarks {

    @Param({"suspicious_login_10k_keys", "interval_join_10k_keys"})
    public String query;

    private static final int KEYS = 10_000;
    private static final String[] ACTIONS = {
        "login_failure", "login_failure", "login_success", "view"
    };

    private QueryPlan plan;
    private KeyedOperator<Object> cep;
    private KeyedJoinOperator<Object> join;
    private final Map<String, Object> states = new HashMap<>();
    private long i;

    @SuppressWarnings("unchecked")
    @Setup(Level.Trial)
    public void setUp() {
        Catalog c = Catalog.empty();
        for (String ddl :
                new String[] {
                    "CREATE STREAM user_activities (user_id STRING, action_type STRING, ip_address STRING,"
                            + " event_time BIGINT) WITH (TIMESTAMP='event_time')",
                    "CREATE STREAM page_views (user_id STRING KEY, page STRING, event_time TIMESTAMP)"
                            + " WITH (TIMESTAMP='event_time')",
                    "CREATE STREAM purchases (user_id STRING KEY, amount DOUBLE, event_time TIMESTAMP)"
                            + " WITH (TIMESTAMP='event_time')"
                }) {
            c = c.with(Planner.describe((Statement.CreateSource) SqlParser.parse(ddl)));
        }
        String sql =
                query.startsWith("suspicious")
                        ? "CREATE STREAM suspicious_activity AS SELECT user_id, COLLECT_LIST(action_type) AS"
                                + " pattern FROM user_activities MATCH_RECOGNIZE (PARTITION BY user_id ORDER BY"
                                + " event_time MEASURES FIRST(A.event_time) AS start_time, LAST(B.event_time)"
                                + " AS end_time PATTERN (A B+ C) WITHIN 10 MINUTES DEFINE A AS A.action_type ="
                                + " 'login_failure', B AS B.action_type = 'login_failure', C AS C.action_type"
                                + " = 'login_success' AND C.ip_address != A.ip_address)"
                        : "CREATE STREAM s AS SELECT v.user_id, v.page, p.amount, (p.event_time -"
                                + " v.event_time) AS time_to_purchase FROM page_views v JOIN purchases p ON"
                                + " v.user_id = p.user_id WITHIN 1 MINUTE";
        plan = Planner.plan((Statement.CreateAsSelect) SqlParser.parse(sql), c);
        if (plan.join().isPresent()) {
            join = (KeyedJoinOperator<Object>) plan.join().get().operator();
        } else {
            cep = (KeyedOperator<Object>) plan.keyed().orElseThrow().operator();
        }
    }

    @Benchmark
    public void event(Blackhole bh) {
        long t = i * 10; // 100 events per second of event time
        String user = "user-" + (i % KEYS);
        ObjectNode v = SqlValues.NODES.objectNode();
        v.put("user_id", user);
        v.put("event_time", t);
        i++;
        Transition<Object> tr;
        if (cep != null) {
            v.put("action_type", ACTIONS[(int) ((i / KEYS) % ACTIONS.length)]);
            v.put("ip_address", "10.0.0." + (i % 7));
            Row row = plan.applyStateless(Row.of(null, t, v)).orElseThrow();
            tr = cep.onRecord(states.getOrDefault(row.key(), cep.initialState()), row, t);
        } else {
            boolean left = (i & 1) == 0;
            v.put(left ? "page" : "amount", left ? "/p" : "9.5");
            Row row = Row.of(user, t, v);
            tr =
                    join.onRecord(
                            states.getOrDefault(user, join.initialState()),
                            left ? JoinSide.LEFT : JoinSide.RIGHT,
                            row,
                            t);
        }
        bh.consume(tr.outputs());
        states.put(keyOf(v), tr.state());
    }

    private static String keyOf(ObjectNode v) {
        return v.get("user_id").asText();
    }
}
