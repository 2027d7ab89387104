package io.virta.runtime.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java pattern API: contiguity, quantifiers, skip strategies, WITHIN, lateness, state. */
class PatternApiTest {

    /** A tiny host: one key, watermark = max event time unless given. */
    static final class Host {
        final KeyedOperator<CepState> op;
        CepState state;
        final List<String> out = new ArrayList<>();
        final List<Row> late = new ArrayList<>();

        Host(Pattern p) {
            op =
                    p.operator(
                            m -> {
                                ObjectNode v = SqlValues.NODES.objectNode();
                                StringBuilder sb = new StringBuilder();
                                for (int i = 0; i < m.rows().size(); i++) {
                                    sb.append(i == 0 ? "" : " ")
                                            .append(m.variables().get(i))
                                            .append('=')
                                            .append(m.rows().get(i).value().get("t").asText())
                                            .append(m.rows().get(i).eventTime() / 1000);
                                }
                                return v.put("m", sb.toString());
                            });
            state = op.initialState();
        }

        Host feed(long second, String type, long watermark) {
            Row r = Row.of("k", second * 1000, SqlValues.NODES.objectNode().put("t", type));
            apply(op.onRecord(state, r, watermark));
            return this;
        }

        Host feed(String types) {
            long t = 1;
            for (char c : types.toCharArray()) {
                feed(t, String.valueOf(c), t * 1000);
                t++;
            }
            return this;
        }

        Host watermark(long millis) {
            apply(op.onWatermark(state, "k", millis));
            return this;
        }

        private void apply(Transition<CepState> t) {
            t.outputs().forEach(r -> out.add(r.value().get("m").asText()));
            late.addAll(t.late());
            state = t.state();
        }
    }

    static boolean is(Row r, String t) {
        return r.value().get("t").asText().equals(t);
    }

    static Pattern abPlusC(boolean greedy) {
        Pattern p =
                Pattern.begin("a")
                        .where(r -> is(r, "a"))
                        .next("b")
                        .where(r -> !is(r, "a"))
                        .oneOrMore();
        p = greedy ? p : p.reluctant();
        return p.next("c").where(r -> is(r, "c"));
    }

    @Test
    void greedyTakesTheLongestRunAndReluctantTheShortest() {
        // b accepts anything but an a, so only the a at 5 ends the greedy run
        assertThat(new Host(abPlusC(true)).feed("abcca").out)
                .containsExactly("a=a1 b=b2 b=c3 c=c4");
        assertThat(new Host(abPlusC(false)).feed("abcca").out).containsExactly("a=a1 b=b2 c=c3");
    }

    @Test
    void aGreedyQuantifierAtTheEndWaitsForTheRowThatEndsIt() {
        Host h =
                new Host(
                        Pattern.begin("a")
                                .where(r -> is(r, "a"))
                                .next("b")
                                .where(r -> is(r, "b"))
                                .oneOrMore());
        h.feed("abb");
        assertThat(h.out).isEmpty();
        h.feed(4, "c", 4000);
        assertThat(h.out).containsExactly("a=a1 b=b2 b=b3");
    }

    @Test
    void withinPrunesByTheWatermarkWhenTheKeyGoesQuiet() {
        Pattern p =
                Pattern.begin("a")
                        .where(r -> is(r, "a"))
                        .next("b")
                        .where(r -> is(r, "b"))
                        .oneOrMore()
                        .within(Duration.ofSeconds(10));
        Host h = new Host(p).feed("abb");
        assertThat(h.op.nextTimer(h.state)).isEqualTo(11_000);
        h.watermark(10_999);
        assertThat(h.out).isEmpty();
        h.watermark(11_000);
        assertThat(h.out).containsExactly("a=a1 b=b2 b=b3");
        assertThat(h.op.isEmpty(h.state)).isTrue();
    }

    @Test
    void withinDropsAMatchThatWouldLastTooLong() {
        Pattern p =
                Pattern.begin("a")
                        .where(r -> is(r, "a"))
                        .followedBy("c")
                        .where(r -> is(r, "c"))
                        .within(Duration.ofSeconds(3));
        assertThat(new Host(p).feed("abbc").out).isEmpty();
        assertThat(new Host(p).feed("abc").out).containsExactly("a=a1 c=c3");
    }

    @Test
    void timesOptionalAndBounds() {
        Pattern p =
                Pattern.begin("b")
                        .where(r -> is(r, "b"))
                        .times(2, 3)
                        .next("c")
                        .where(r -> is(r, "c"))
                        .optional()
                        .next("x")
                        .where(r -> is(r, "x"));
        assertThat(new Host(p).feed("bbbbx").out).containsExactly("b=b2 b=b3 b=b4 x=x5");
        assertThat(new Host(p).feed("bbcxbx").out).containsExactly("b=b1 b=b2 c=c3 x=x4");
        Pattern exact = Pattern.begin("b").where(r -> is(r, "b")).times(2);
        assertThat(new Host(exact).feed("bbbbb").out).containsExactly("b=b1 b=b2", "b=b3 b=b4");
    }

    @Test
    void followedBySkipsRowsThatDoNotFitAndFollowedByAnyTriesEachLaterRow() {
        Pattern relaxed =
                Pattern.begin("a").where(r -> is(r, "a")).followedBy("c").where(r -> is(r, "c"));
        assertThat(new Host(relaxed).feed("abbcc").out).containsExactly("a=a1 c=c4");
        Pattern strict = Pattern.begin("a").where(r -> is(r, "a")).next("c").where(r -> is(r, "c"));
        assertThat(new Host(strict).feed("abbcc").out).isEmpty();
        Pattern any =
                Pattern.begin("a")
                        .where(r -> is(r, "a"))
                        .followedByAny("c")
                        .where(r -> is(r, "c"))
                        .next("d")
                        .where(r -> is(r, "d"));
        // followedBy would commit to the first c and fail; followedByAny also tries the second
        assertThat(new Host(any).feed("acbcd").out).containsExactly("a=a1 c=c4 d=d5");
    }

    @Test
    void skipStrategiesDecideWhereTheNextAttemptStarts() {
        Pattern p =
                Pattern.begin("x")
                        .where(r -> is(r, "a"))
                        .next("y")
                        .where(r -> is(r, "a"))
                        .oneOrMore()
                        .reluctant()
                        .next("z")
                        .where(r -> is(r, "b"));
        assertThat(new Host(p).feed("aaab").out).containsExactly("x=a1 y=a2 y=a3 z=b4");
        assertThat(new Host(p.afterMatch(AfterMatchSkip.toNextRow())).feed("aaab").out)
                .containsExactly("x=a1 y=a2 y=a3 z=b4", "x=a2 y=a3 z=b4");
        // the last y is row 3: the attempt from there finds no second 'a'
        assertThat(new Host(p.afterMatch(AfterMatchSkip.toLast("y"))).feed("aaab").out)
                .containsExactly("x=a1 y=a2 y=a3 z=b4");
        assertThat(new Host(p.afterMatch(AfterMatchSkip.toFirst("y"))).feed("aaab").out)
                .containsExactly("x=a1 y=a2 y=a3 z=b4", "x=a2 y=a3 z=b4");
    }

    @Test
    void iterativeConditionsSeeTheRowsBoundSoFar() {
        Pattern rising =
                Pattern.begin("s")
                        .next("up")
                        .where(
                                (row, m) -> {
                                    List<Row> prev = m.rows();
                                    long before =
                                            prev.get(prev.size() - 2).value().get("v").asLong();
                                    return row.value().get("v").asLong() > before;
                                })
                        .times(2);
        Host h = new Host(rising);
        long[] vs = {5, 3, 4, 6, 2};
        for (int i = 0; i < vs.length; i++) {
            h.apply(
                    h.op.onRecord(
                            h.state,
                            Row.of(
                                    "k",
                                    i * 1000L,
                                    SqlValues.NODES
                                            .objectNode()
                                            .put("t", "v" + vs[i])
                                            .put("v", vs[i])),
                            i * 1000L));
        }
        assertThat(h.out).containsExactly("s=v31 up=v42 up=v63");
    }

    @Test
    void rowsAreMatchedInEventTimeOrderAndRowsBehindTheWatermarkAreLate() {
        Pattern p = Pattern.begin("a").where(r -> is(r, "a")).next("b").where(r -> is(r, "b"));
        Host h = new Host(p);
        h.feed(2, "b", 0).feed(1, "a", 0);
        assertThat(h.out).isEmpty();
        h.watermark(2_000);
        assertThat(h.out).containsExactly("a=a1 b=b2");
        h.feed(1, "a", 2_000);
        assertThat(h.late).hasSize(1);
        assertThat(h.state.lateRecords()).isEqualTo(1);
    }

    @Test
    void invalidPatternsAreRejected() {
        assertThatThrownBy(() -> Pattern.begin("a").next("a")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> Pattern.begin("a").times(3, 2))
                .hasMessageContaining("bad quantifier");
        assertThatThrownBy(() -> Pattern.begin("a").oneOrMore().times(2))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> Pattern.begin("a").optional().operator(m -> null))
                .hasMessageContaining("empty");
        assertThatThrownBy(
                        () ->
                                Pattern.begin("a")
                                        .afterMatch(AfterMatchSkip.toLast("q"))
                                        .operator(m -> null))
                .hasMessageContaining("unknown variable");
    }

    @Test
    void stateRoundTripsThroughJacksonMidMatch() throws Exception {
        Host h = new Host(abPlusC(true)).feed("abb");
        assertThat(h.state.partialMatches()).isPositive();
        ObjectMapper mapper =
                new ObjectMapper()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .enable(DeserializationFeature.USE_LONG_FOR_INTS);
        String json = mapper.writeValueAsString(h.state);
        CepState back = mapper.readValue(json, CepState.class);
        assertThat(back).isEqualTo(h.state);
        h.state = back;
        h.feed(4, "c", 4000).feed(5, "a", 5000);
        assertThat(h.out).containsExactly("a=a1 b=b2 b=b3 c=c4");
    }
}
