package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.plan.Step;
import io.virta.runtime.sql.SqlException;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.SqlSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MATCH_RECOGNIZE end to end through the driver. */
class MatchRecognizeDriverTest {

    static final String SUSPICIOUS =
            """
            CREATE STREAM suspicious_activity AS SELECT user_id, COLLECT_LIST(action_type) AS pattern FROM user_activities
            MATCH_RECOGNIZE (
              PARTITION BY user_id ORDER BY event_time
              MEASURES FIRST(A.event_time) AS start_time, LAST(B.event_time) AS end_time
              PATTERN (A B+ C)
              DEFINE A AS A.action_type = 'login_failure', B AS B.action_type = 'login_failure',
                     C AS C.action_type = 'login_success' AND C.ip_address != A.ip_address
            ) EMIT CHANGES;
            """;

    static PipelineTestDriver activities() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM user_activities (user_id STRING, action_type STRING, ip_address STRING,"
                        + " event_time BIGINT) WITH (TIMESTAMP='event_time')");
        return d;
    }

    static void act(PipelineTestDriver d, String user, String action, String ip, long t) {
        d.pipe(
                "user_activities",
                t,
                "{\"user_id\":\"%s\",\"action_type\":\"%s\",\"ip_address\":\"%s\",\"event_time\":%d}"
                        .formatted(user, action, ip, t));
    }

    @Test
    void suspiciousLoginsEndToEnd() {
        var d = activities();
        d.execute(SUSPICIOUS);
        act(d, "u1", "login_failure", "1.1.1.1", 1_000);
        act(d, "u2", "login_failure", "2.2.2.2", 1_500);
        act(d, "u1", "login_failure", "1.1.1.1", 2_000);
        act(d, "u1", "login_failure", "1.1.1.1", 3_000);
        act(d, "u2", "login_success", "2.2.2.2", 3_500); // u2: one failure only, same ip
        act(d, "u1", "login_success", "9.9.9.9", 4_000);
        act(d, "u1", "login_failure", "1.1.1.1", 5_000);
        act(d, "u1", "login_failure", "1.1.1.1", 6_000);
        act(d, "u1", "login_success", "1.1.1.1", 7_000); // same ip as A: no match
        List<JsonNode> out = d.values("suspicious_activity");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).toString())
                .isEqualTo(
                        "{\"user_id\":\"u1\",\"pattern\":[\"login_failure\",\"login_failure\","
                                + "\"login_failure\",\"login_success\"],\"start_time\":1000,\"end_time\":3000}");
        assertThat(d.output("suspicious_activity").get(0).key()).isEqualTo("u1");
        assertThat(d.output("suspicious_activity").get(0).eventTime()).isEqualTo(4_000);
        Step.Match m = d.plan("suspicious_activity").match().orElseThrow();
        assertThat(m.describe()).contains("PATTERN (A B+ C)");
        assertThat(d.plan("suspicious_activity").rekeys()).isTrue();
        assertThat(d.plan("suspicious_activity").stateful().orElseThrow().stateClass())
                .isEqualTo(CepState.class);
    }

    @Test
    void theFraudRuleFromDdiaLoginThenPurchaseFromAnotherCountryWithinFiveMinutes() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM user_events (user_id STRING KEY, event_type STRING, country STRING,"
                        + " amount DOUBLE)");
        d.execute(
                """
                CREATE STREAM fraud AS SELECT user_id FROM user_events
                MATCH_RECOGNIZE (
                  PARTITION BY user_id ORDER BY ROWTIME
                  MEASURES L.country AS login_country, P.country AS purchase_country, P.amount AS amount
                  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW
                  PATTERN (L X*? P) WITHIN INTERVAL '5' MINUTES
                  DEFINE L AS L.event_type = 'login',
                         P AS P.event_type = 'purchase' AND P.country <> L.country
                )""");
        assertThat(d.plan("fraud").rekeys()).isFalse();
        long min = 60_000;
        String e = "{\"user_id\":\"%s\",\"event_type\":\"%s\",\"country\":\"%s\",\"amount\":%s}";
        d.pipe("user_events", 0, e.formatted("a", "login", "NO", "0"));
        d.pipe("user_events", 1 * min, e.formatted("a", "view", "NO", "0"));
        d.pipe("user_events", 2 * min, e.formatted("a", "purchase", "BR", "99.5"));
        d.pipe("user_events", 3 * min, e.formatted("b", "login", "FR", "0"));
        d.pipe("user_events", 9 * min, e.formatted("b", "purchase", "US", "10")); // too late
        d.pipe("user_events", 10 * min, e.formatted("c", "login", "DE", "0"));
        d.pipe("user_events", 11 * min, e.formatted("c", "purchase", "DE", "10")); // same country
        assertThat(d.values("fraud").stream().map(JsonNode::toString))
                .containsExactly(
                        "{\"user_id\":\"a\",\"login_country\":\"NO\",\"purchase_country\":\"BR\",\"amount\":99.5}");
    }

    /** Runs one pattern over a stream of letters, one a second, and returns the matched letters. */
    static List<String> letters(String pattern, String skip, String letters) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, t STRING)");
        String sql =
                "CREATE STREAM m AS SELECT k, COLLECT_LIST(t) AS ts FROM s MATCH_RECOGNIZE ("
                        + " PARTITION BY k ORDER BY ROWTIME "
                        + skip
                        + " PATTERN ("
                        + pattern
                        + ") WITHIN 1 HOUR DEFINE "
                        + String.join(
                                ", ",
                                java.util.stream.Stream.of("A", "B", "C")
                                        .filter(pattern::contains)
                                        .map(v -> v + " AS t = '" + v.toLowerCase() + "'")
                                        .toList())
                        + ")";
        try {
            d.execute(sql);
        } catch (RuntimeException e) {
            throw new AssertionError(sql, e);
        }
        for (int i = 0; i < letters.length(); i++) {
            d.pipe("s", 1_000L * i, "{\"k\":\"x\",\"t\":\"" + letters.charAt(i) + "\"}");
        }
        d.advanceWatermark("s", 10_000_000);
        return d.values("m").stream()
                .map(
                        v ->
                                String.join(
                                        "",
                                        v.get("ts").findValuesAsText("ts").isEmpty()
                                                ? texts(v.get("ts"))
                                                : List.of()))
                .toList();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest(name = "{0} {1} over {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "A B* C;AFTER MATCH SKIP PAST LAST ROW;abbcabc;abbc,abc",
                "A B+;AFTER MATCH SKIP PAST LAST ROW;abbba;abbb",
                "A B+?;AFTER MATCH SKIP PAST LAST ROW;abbba;ab",
                "A B??;AFTER MATCH SKIP PAST LAST ROW;abab;a,a",
                "A B?;AFTER MATCH SKIP PAST LAST ROW;abab;ab,ab",
                "A B{2};AFTER MATCH SKIP PAST LAST ROW;abbbabb;abb,abb",
                "A B{2,};AFTER MATCH SKIP PAST LAST ROW;abbbbab;abbbb",
                "A B{1,2};AFTER MATCH SKIP PAST LAST ROW;abbbab;abb,ab",
                "A B{1,2}?;AFTER MATCH SKIP PAST LAST ROW;abbbab;ab,ab",
                "A B{,2} C;AFTER MATCH SKIP PAST LAST ROW;acabcabbcabbbc;ac,abc,abbc",
                "A (B|C)+ A;AFTER MATCH SKIP PAST LAST ROW;abcbaca;abcba",
                "(A B)+ C;AFTER MATCH SKIP PAST LAST ROW;ababcabc;ababc,abc",
                "A | B C;AFTER MATCH SKIP PAST LAST ROW;bcab;bc,a",
                "(A | A B) C;AFTER MATCH SKIP PAST LAST ROW;abc;abc",
                "A B*;AFTER MATCH SKIP TO NEXT ROW;aab;a,ab",
                "A A;AFTER MATCH SKIP TO NEXT ROW;aaa;aa,aa",
                "A A;AFTER MATCH SKIP PAST LAST ROW;aaa;aa",
                "A B+ C;AFTER MATCH SKIP TO FIRST B;abbc;abbc",
                "A B+ A;AFTER MATCH SKIP TO LAST A;ababa;aba,aba",
                "A+ B;AFTER MATCH SKIP TO LAST A;aaab;aaab,ab"
            })
    void patternFeatures(String pattern, String skip, String input, String expected) {
        assertThat(letters(pattern, skip, input)).containsExactly(expected.split(","));
    }

    @Test
    void withinPrunesByTheWatermarkSoAQuietKeyReportsItsHeldBackMatch() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, t STRING)");
        d.execute(
                "CREATE STREAM m AS SELECT k, COUNT(*) AS n FROM s MATCH_RECOGNIZE (PARTITION BY k"
                        + " PATTERN (A B+) WITHIN 10 SECONDS DEFINE A AS t = 'a', B AS t = 'b')");
        d.pipe("s", 0, "{\"k\":\"x\",\"t\":\"a\"}");
        d.pipe("s", 1_000, "{\"k\":\"x\",\"t\":\"b\"}");
        d.pipe("s", 2_000, "{\"k\":\"x\",\"t\":\"b\"}");
        assertThat(d.values("m")).isEmpty();
        d.pipe("s", 9_999, "{\"k\":\"other\",\"t\":\"c\"}");
        assertThat(d.values("m")).isEmpty();
        d.pipe(
                "s",
                10_000,
                "{\"k\":\"other\",\"t\":\"c\"}"); // moves the watermark past x's deadline
        assertThat(d.values("m").get(0).get("n").asLong()).isEqualTo(3);
        CepState x = (CepState) d.state("m", "x");
        assertThat(x.partialMatches()).isZero();
        assertThat(x.rowsHeld()).isZero();
    }

    @Test
    void outOfOrderRowsAreMatchedInEventTimeOrderAndLateOnesAreSetAside() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, t STRING) WITH (OUT_OF_ORDERNESS='2 SECONDS')");
        d.execute(
                "CREATE STREAM m AS SELECT k, COLLECT_LIST(t) AS ts FROM s MATCH_RECOGNIZE (PARTITION BY k"
                        + " PATTERN (A B C) DEFINE A AS t = 'a', B AS t = 'b', C AS t = 'c')");
        d.pipe("s", 2_000, "{\"k\":\"x\",\"t\":\"b\"}");
        d.pipe("s", 1_000, "{\"k\":\"x\",\"t\":\"a\"}");
        d.pipe("s", 3_000, "{\"k\":\"x\",\"t\":\"c\"}");
        d.pipe("s", 9_000, "{\"k\":\"x\",\"t\":\"z\"}");
        assertThat(d.values("m").get(0).get("ts").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        d.pipe("s", 4_000, "{\"k\":\"x\",\"t\":\"a\"}"); // watermark is 7 s
        assertThat(d.lateCount("m")).isEqualTo(1);
    }

    @Test
    void measuresAggregateOverAVariable() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM pay (k STRING KEY, kind STRING, amount INT)");
        d.execute(
                """
                CREATE STREAM m AS SELECT * FROM pay MATCH_RECOGNIZE (PARTITION BY k
                  MEASURES SUM(B.amount) AS total, AVG(B.amount) AS mean, MIN(B.amount) AS lo,
                           MAX(B.amount) AS hi, COUNT(B.amount) AS nb, COUNT(*) AS n,
                           FIRST(B.amount) AS first_b, LAST(B.amount) AS last_b, A.kind AS a_kind
                  PATTERN (A B{2,} C)
                  DEFINE A AS kind = 'open', B AS kind = 'pay' AND B.amount > LAST(A.amount),
                         C AS kind = 'close')""");
        String e = "{\"k\":\"x\",\"kind\":\"%s\",\"amount\":%d}";
        d.pipe("pay", 1, e.formatted("open", 0));
        d.pipe("pay", 2, e.formatted("pay", 10));
        d.pipe("pay", 3, e.formatted("pay", 20));
        d.pipe("pay", 4, e.formatted("pay", 60));
        d.pipe("pay", 5, e.formatted("close", 0));
        assertThat(d.values("m").get(0).toString())
                .isEqualTo(
                        "{\"k\":\"x\",\"total\":90,\"mean\":30.0,\"lo\":10,\"hi\":60,\"nb\":3,\"n\":5,"
                                + "\"first_b\":10,\"last_b\":60,\"a_kind\":\"open\"}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "PATTERN (A B) DEFINE A AS t = 'a', Q AS t = 'b'|Q AS|DEFINE of 'Q'",
                "MEASURES Z.t AS zt PATTERN (A B) DEFINE A AS t = 'a'|Z.t|unknown pattern variable 'Z'",
                "PATTERN (A B) DEFINE A AS X.t = 'a'|X.t|unknown pattern variable 'X'",
                "AFTER MATCH SKIP TO LAST Q PATTERN (A B) DEFINE A AS t = 'a'|Q PATTERN|unknown pattern variable 'Q'",
                "PATTERN (A?) DEFINE A AS t = 'a'|A?|empty sequence",
                "ORDER BY t PATTERN (A) DEFINE A AS t = 'a'|t PATTERN|ORDER BY must name ROWTIME",
                "PATTERN (A) DEFINE A AS t|t)|DEFINE must be a BOOLEAN",
                "PATTERN (A) DEFINE A AS t = 'a', A AS t = 'b'|A AS t = 'b'|defined twice"
            })
    void planningErrorsHavePositions(String body, String at, String message) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, t STRING)");
        String sql = "CREATE STREAM m AS SELECT k FROM s MATCH_RECOGNIZE (" + body + ")";
        assertThatThrownBy(() -> d.execute(sql))
                .isInstanceOfSatisfying(
                        SqlPlanningException.class,
                        e -> {
                            assertThat(e.getMessage()).contains(message);
                            assertThat(e.line()).isEqualTo(1);
                            assertThat(e.column()).isEqualTo(sql.indexOf(at) + 1);
                        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "A{3,2}|bad quantifier",
                "A{}|bad quantifier",
                "A{5000}|bad quantifier",
                "A B+*|"
            })
    void badQuantifiersAreSyntaxErrors(String pattern, String message) {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM s (k STRING KEY, t STRING)");
        assertThatThrownBy(
                        () ->
                                d.execute(
                                        "CREATE STREAM m AS SELECT k FROM s MATCH_RECOGNIZE (PATTERN ("
                                                + pattern
                                                + ") DEFINE A AS t = 'a')"))
                .isInstanceOf(SqlSyntaxException.class)
                .satisfies(e -> assertThat(((SqlException) e).column()).isGreaterThan(50))
                .hasMessageContaining(message == null ? "" : message);
    }
}
