package io.virta.loadtests.flink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The Flink side of {@code CepBenchmark}: Flink CEP on the benchmark's generated login events, on a
 * local MiniCluster in this JVM with parallelism 1.
 *
 * <p>Event {@code n} (from 0) belongs to {@code user-(n % keys)}, has event time {@code n * 10} ms,
 * action {@code [login_failure, login_failure, login_success, view][(n / keys) % 4]} and address
 * {@code 10.0.0.(n % 7)}: the sequence {@code CepBenchmark} feeds Virta's automaton. The pattern is
 * the benchmark's {@code A B+ C}: a failure, one or more failures, then a success from another
 * address than A's, strictly contiguous per user, within 10 minutes, skipping past the last event
 * after a match.
 *
 * <p>The job runs twice: once on a quarter of the events to warm the JVM (not reported), then on
 * all of them. It prints one line, {@code RESULT <seconds> <matches>}, with the second job's net
 * runtime as Flink measures it (task deployment included) and the matches it counted.
 *
 * <pre>{@code
 * java -cp ... io.virta.loadtests.flink.FlinkCep 2000000 10000
 * }</pre>
 */
public final class FlinkCep {
    private static final String[] ACTIONS = {
        "login_failure", "login_failure", "login_success", "view"
    };
    private static final String MATCHES = "matches";

    private FlinkCep() {}

    /** One login event. */
    public record Login(String user, String action, String ip, long time) {}

    /**
     * Runs the warm-up job and the measured one, and prints the result line.
     *
     * @param args the number of events, and the number of users
     */
    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(args[0]);
        int keys = Integer.parseInt(args[1]);
        run(Math.max(1, events / 4), keys);
        JobExecutionResult result = run(events, keys);
        Object matches = result.getAccumulatorResult(MATCHES);
        System.out.printf(
                "RESULT %.3f %d%n",
                result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3,
                matches == null ? 0L : (Long) matches);
    }

    private static JobExecutionResult run(long events, int keys) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        var logins =
                env.fromSequence(0, events - 1)
                        .map(n -> login(n, keys))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Login>forMonotonousTimestamps()
                                        .withTimestampAssigner((login, ignored) -> login.time()))
                        .keyBy(Login::user);
        CEP.pattern(logins, pattern())
                .process(new EmitOnePerMatch())
                .filter(new CountMatches())
                .sinkTo(new DiscardingSink<>());
        return env.execute("flink-cep-" + events);
    }

    static Login login(long n, int keys) {
        return new Login(
                "user-" + (n % keys),
                ACTIONS[(int) ((n / keys) % ACTIONS.length)],
                "10.0.0." + (n % 7),
                n * 10);
    }

    private static Pattern<Login, Login> pattern() {
        return Pattern.<Login>begin("A", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(login -> login.action().equals("login_failure")))
                .next("B")
                .where(SimpleCondition.of(login -> login.action().equals("login_failure")))
                .oneOrMore()
                .consecutive()
                .next("C")
                .where(new SuccessFromAnotherAddress())
                .within(Duration.ofMinutes(10));
    }

    /** C: a success from another address than the match's A. */
    private static final class SuccessFromAnotherAddress extends IterativeCondition<Login> {
        @Override
        public boolean filter(Login login, Context<Login> ctx) throws Exception {
            if (!login.action().equals("login_success")) {
                return false;
            }
            for (Login a : ctx.getEventsForPattern("A")) {
                return !a.ip().equals(login.ip());
            }
            return false;
        }
    }

    /** One element per match; the pattern operator's context has no accumulators. */
    private static final class EmitOnePerMatch extends PatternProcessFunction<Login, Long> {
        @Override
        public void processMatch(Map<String, List<Login>> match, Context ctx, Collector<Long> out) {
            out.collect(1L);
        }
    }

    /** Counts matches in an accumulator the job's result carries; passes nothing downstream. */
    private static final class CountMatches extends RichFilterFunction<Long> {
        private transient LongCounter matches;

        @Override
        public void open(OpenContext context) {
            matches = getRuntimeContext().getLongCounter(MATCHES);
        }

        @Override
        public boolean filter(Long one) {
            matches.add(one);
            return false;
        }
    }
}
