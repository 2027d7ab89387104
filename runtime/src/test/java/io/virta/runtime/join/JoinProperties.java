package io.virta.runtime.join;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.JoinSide;
import io.virta.runtime.operator.KeyedJoinOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.IntervalJoinState;
import io.virta.runtime.operator.state.TableJoinState;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The interval join emits what a nested-loop join within the bounds emits, for every join type. */
class JoinProperties {

    record Tagged(JoinSide side, Row row) {}

    static String name(Row r) {
        return r == null ? "-" : r.value().get("id").asText();
    }

    static ObjectNode pair(Row l, Row r) {
        return SqlValues.NODES.objectNode().put("pair", name(l) + "+" + name(r));
    }

    static List<Tagged> rows(Random rnd) {
        List<Tagged> out = new ArrayList<>();
        long t = 0;
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(4) * 1000L;
            JoinSide side = rnd.nextBoolean() ? JoinSide.LEFT : JoinSide.RIGHT;
            String key = String.valueOf("abc".charAt(rnd.nextInt(3)));
            ObjectNode v =
                    SqlValues.NODES.objectNode().put("id", (side == JoinSide.LEFT ? "L" : "R") + i);
            out.add(new Tagged(side, Row.of(key, t, v)));
        }
        return out;
    }

    static List<String> nestedLoop(List<Tagged> rows, JoinType type, JoinWindow w) {
        List<String> out = new ArrayList<>();
        Map<Row, Boolean> matched = new HashMap<>();
        for (Tagged l : rows) {
            for (Tagged r : rows) {
                if (l.side() == JoinSide.LEFT
                        && r.side() == JoinSide.RIGHT
                        && l.row().key().equals(r.row().key())
                        && w.contains(l.row().eventTime(), r.row().eventTime())) {
                    out.add(name(l.row()) + "+" + name(r.row()));
                    matched.put(l.row(), true);
                    matched.put(r.row(), true);
                }
            }
        }
        for (Tagged t : rows) {
            if (!matched.containsKey(t.row())) {
                if (t.side() == JoinSide.LEFT && type != JoinType.INNER) {
                    out.add(name(t.row()) + "+-");
                } else if (t.side() == JoinSide.RIGHT && type == JoinType.FULL) {
                    out.add("-+" + name(t.row()));
                }
            }
        }
        return out;
    }

    /** Feeds rows in event-time order, watermark = the smaller of the sides' max event times. */
    static List<String> run(List<Tagged> rows, KeyedJoinOperator<IntervalJoinState> op) {
        Map<String, IntervalJoinState> states = new HashMap<>();
        List<String> out = new ArrayList<>();
        long maxL = Long.MIN_VALUE;
        long maxR = Long.MIN_VALUE;
        for (Tagged t : rows) {
            if (t.side() == JoinSide.LEFT) {
                maxL = Math.max(maxL, t.row().eventTime());
            } else {
                maxR = Math.max(maxR, t.row().eventTime());
            }
            long wm = Math.min(maxL, maxR);
            String k = t.row().key();
            Transition<IntervalJoinState> tr =
                    op.onRecord(states.getOrDefault(k, op.initialState()), t.side(), t.row(), wm);
            assertThat(tr.late()).isEmpty();
            tr.outputs().forEach(o -> out.add(o.value().get("pair").asText()));
            states.put(k, tr.state());
            for (String other : states.keySet()) {
                Transition<IntervalJoinState> w = op.onWatermark(states.get(other), other, wm);
                w.outputs().forEach(o -> out.add(o.value().get("pair").asText()));
                states.put(other, w.state());
            }
        }
        for (String k : states.keySet()) {
            Transition<IntervalJoinState> w =
                    op.onWatermark(
                            states.get(k), k, Long.MAX_VALUE - Duration.ofDays(1).toMillis());
            w.outputs().forEach(o -> out.add(o.value().get("pair").asText()));
            assertThat(op.isEmpty(w.state())).isTrue();
        }
        return out;
    }

    @Property(seed = "20260301", tries = 300)
    void intervalJoinEqualsANestedLoopJoinWithinTheBounds(
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long seed) {
        Random rnd = new Random(seed);
        List<Tagged> rows = rows(rnd);
        JoinType type = JoinType.values()[rnd.nextInt(3)];
        JoinWindow w =
                JoinWindow.of(
                        Duration.ofSeconds(rnd.nextInt(5)), Duration.ofSeconds(rnd.nextInt(5)));
        assertThat(run(rows, Joins.interval(type, w, JoinProperties::pair)))
                .as(type + " " + w)
                .containsExactlyInAnyOrderElementsOf(nestedLoop(rows, type, w));
    }

    @Example
    void joinStatesRoundTripThroughJackson() throws Exception {
        ObjectMapper mapper =
                new ObjectMapper()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .enable(DeserializationFeature.USE_LONG_FOR_INTS);
        var op =
                Joins.interval(
                        JoinType.FULL, JoinWindow.of(Duration.ofMinutes(1)), JoinProperties::pair);
        Row l = Row.of("k", 1_000, SqlValues.NODES.objectNode().put("id", "L1").put("x", 1.5));
        Row r = Row.of("k", 2_000, SqlValues.NODES.objectNode().put("id", "R1"));
        IntervalJoinState s = op.onRecord(op.initialState(), JoinSide.LEFT, l, 0).state();
        s = op.onRecord(s, JoinSide.RIGHT, r, 0).state();
        String json = mapper.writeValueAsString(s);
        IntervalJoinState back = mapper.readValue(json, IntervalJoinState.class);
        assertThat(mapper.writeValueAsString(back)).isEqualTo(json);
        assertThat(back.left().get(0).matched()).isTrue();

        var table = Joins.streamTable(JoinType.LEFT, JoinProperties::pair);
        TableJoinState t = table.onRecord(table.initialState(), JoinSide.RIGHT, r, 0).state();
        assertThat(mapper.readValue(mapper.writeValueAsString(t), TableJoinState.class))
                .isEqualTo(t);
        assertThat(
                        mapper.readValue(
                                mapper.writeValueAsString(TableJoinState.EMPTY),
                                TableJoinState.class))
                .isEqualTo(TableJoinState.EMPTY);
    }
}
