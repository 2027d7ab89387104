package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a key group of a topic-fed pipeline does in memory, without its actor: records of many keys
 * in one group, each counted under its own key, checkpointed as deltas, replayed into the same
 * state, and the work going on after a checkpoint as one started again from it.
 */
class TopicKeyGroupWorkTest {
    private static final String PARTITION = "clicks/0";
    private static final long MINUTE = 60_000;

    private static TopicKeyGroupWork appliedUpTo(long offset) {
        return TopicKeyGroupWork.from(
                new TopicKeyGroupState(
                        Map.of(PARTITION, offset), Map.of(), 0, List.of(), Long.MIN_VALUE));
    }

    /** The plan of a one-minute tumbling count per {@code usr}, final results only. */
    static TopicKeyGroupWork.Plan windowedPlan() {
        return plan(WINDOWED);
    }

    private static TopicKeyGroupWork.Plan plan(String select) {
        Catalog c =
                Catalog.empty()
                        .with(
                                Planner.describe(
                                        (Statement.CreateSource)
                                                SqlParser.parse(
                                                        "CREATE STREAM clicks (usr STRING,"
                                                                + " ts TIMESTAMP) WITH"
                                                                + " (KEY='usr',"
                                                                + " TIMESTAMP='ts')")));
        QueryPlan p = Planner.plan((Statement.CreateAsSelect) SqlParser.parse(select), c);
        StreamCatalog.PipelineCreated definition =
                new StreamCatalog.PipelineCreated(
                        "counts", select, "clicks", "earliest", p.describe(), 0, 16);
        return new TopicKeyGroupWork.Plan(new PipelineRegistry.Running(definition, p, null));
    }

    private static TopicKeyGroupEntity.TopicInput click(long offset, String usr, long time) {
        return new TopicKeyGroupEntity.TopicInput(
                usr,
                offset,
                time,
                0,
                PipelineRows.parse(
                        "{\"usr\":\"%s\",\"ts\":\"%s\"}"
                                .formatted(usr, Instant.ofEpochMilli(time))));
    }

    /** A group that applied, from nothing, a click of a at 1 s and one of b at 2 s. */
    private static TopicKeyGroupWork clickedAAndB(TopicKeyGroupWork.Plan plan) {
        return plan.apply(
                TopicKeyGroupWork.from(TopicKeyGroupState.empty()),
                PARTITION,
                List.of(click(0, "a", 1_000), click(1, "b", 2_000)));
    }

    /** The count in an output row, whatever the case of its column. */
    private static long count(PipelineRows.Output o) {
        var fields = PipelineRows.parse(o.payload()).fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase("n")) {
                return field.getValue().asLong();
            }
        }
        throw new AssertionError("no count in " + o.payload());
    }

    private static final String WINDOWED =
            "CREATE TABLE counts AS SELECT usr, COUNT(*) AS n FROM clicks"
                    + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL";

    @Test
    void recordsFollowOnOnlyFromAnOffsetTheGroupApplied() {
        TopicKeyGroupWork w = appliedUpTo(100);

        assertThat(w.continues(PARTITION, 100)).isTrue();
        assertThat(w.continues(PARTITION, 90)).as("a batch sent again").isTrue();
        assertThat(w.continues(PARTITION, 120)).as("the batch with 120 was lost").isFalse();
        assertThat(w.continues("clicks/1", 5)).as("nothing applied of clicks/1").isFalse();
        assertThat(w.continues("clicks/9", TopicKeyGroupEntity.FIRST_SINCE_COMMIT)).isTrue();
    }

    @Test
    void aFlushFindsThePartitionsItHasNotAppliedFarEnough() {
        TopicKeyGroupWork w = appliedUpTo(100);

        assertThat(w.behind(java.util.Map.of(PARTITION, 100L))).isEmpty();
        assertThat(w.behind(java.util.Map.of(PARTITION, 120L, "clicks/1", 5L)))
                .isEqualTo(java.util.Map.of(PARTITION, 100L, "clicks/1", -1L));
    }

    @Test
    void eachKeyOfAGroupCountsItsOwnRecordsAndWindowsCloseByTheWatermark() {
        TopicKeyGroupWork.Plan plan = plan(WINDOWED);
        TopicKeyGroupState state = TopicKeyGroupState.empty();
        TopicKeyGroupWork w =
                plan.apply(
                        TopicKeyGroupWork.from(state),
                        PARTITION,
                        List.of(
                                click(0, "a", 1_000),
                                click(1, "b", 2_000),
                                click(2, "a", 3_000),
                                click(3, "a", MINUTE + 1)));

        assertThat(w.applied(PARTITION)).isEqualTo(3);
        assertThat(w.states().keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(plan.nextTimer(w.states().values())).isEqualTo(MINUTE);

        TopicKeyGroupWork closed = plan.onWatermark(w, MINUTE);
        TopicKeyGroupEntity.Checkpointed c = closed.checkpoint(state);

        assertThat(c.outputs()).extracting(PipelineRows.Output::key).containsExactly("a", "b");
        assertThat(c.outputs()).extracting(TopicKeyGroupWorkTest::count).containsExactly(2L, 1L);
        assertThat(c.outputs()).extracting(PipelineRows.Output::number).containsExactly(1L, 2L);
        assertThat(c.removed()).as("b was never checkpointed, so nothing to remove").isEmpty();
        assertThat(c.states().keySet()).as("only a has an open window").containsExactly("a");
        assertThat(plan.nextTimer(closed.states().values())).isEqualTo(2 * MINUTE);
    }

    @Test
    void aCheckpointHoldsOnlyWhatChangedAndReplaysIntoTheSameState() {
        TopicKeyGroupWork.Plan plan = plan(WINDOWED);
        TopicKeyGroupState state = TopicKeyGroupState.empty();
        TopicKeyGroupWork w = clickedAAndB(plan);
        state = state.apply(w.checkpoint(state));

        TopicKeyGroupWork more =
                plan.apply(TopicKeyGroupWork.from(state), PARTITION, List.of(click(2, "a", 4_000)));
        TopicKeyGroupEntity.Checkpointed second = more.checkpoint(state);
        assertThat(second.states().keySet()).containsExactly("a");
        state = state.apply(second);

        TopicKeyGroupWork closed = plan.onWatermark(TopicKeyGroupWork.from(state), MINUTE);
        TopicKeyGroupEntity.Checkpointed third = closed.checkpoint(state);
        assertThat(third.removed()).containsExactlyInAnyOrder("a", "b");
        state = state.apply(third);

        assertThat(state.states()).isEmpty();
        assertThat(state.outputs()).isEqualTo(2);
        assertThat(state.outbox()).hasSize(2);
        assertThat(state.offsets()).containsEntry(PARTITION, 2L);
    }

    @Test
    void aGroupGoesOnAfterACheckpointAsOneStartedAgainFromIt() {
        TopicKeyGroupWork.Plan plan = plan(WINDOWED);
        TopicKeyGroupState state = TopicKeyGroupState.empty();
        TopicKeyGroupWork kept = clickedAAndB(plan);
        state = state.apply(kept.checkpoint(state));
        kept.checkpointed();
        assertThat(kept.aheadOf(state)).as("nothing new since the checkpoint").isFalse();

        List<TopicKeyGroupEntity.TopicInput> more =
                List.of(click(2, "a", 4_000), click(3, "c", MINUTE + 5));
        TopicKeyGroupEntity.Checkpointed goingOn =
                plan.onWatermark(plan.apply(kept, PARTITION, more), MINUTE).checkpoint(state);
        TopicKeyGroupEntity.Checkpointed startedAgain =
                plan.onWatermark(plan.apply(TopicKeyGroupWork.from(state), PARTITION, more), MINUTE)
                        .checkpoint(state);

        assertThat(goingOn).isEqualTo(startedAgain);
        assertThat(goingOn.outputs())
                .extracting(TopicKeyGroupWorkTest::count)
                .containsExactly(2L, 1L);
        assertThat(goingOn.removed()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aKeyEmptiedAndFilledAgainBeforeACheckpointIsCheckpointedWithItsNewState() {
        TopicKeyGroupWork.Plan plan = plan(WINDOWED);
        TopicKeyGroupState state = TopicKeyGroupState.empty();
        TopicKeyGroupWork w =
                plan.apply(TopicKeyGroupWork.from(state), PARTITION, List.of(click(0, "a", 1_000)));
        state = state.apply(w.checkpoint(state));
        w.checkpointed();

        plan.onWatermark(w, MINUTE);
        assertThat(w.empty()).as("a's only window closed").isTrue();
        plan.apply(w, PARTITION, List.of(click(1, "a", MINUTE + 1)));
        TopicKeyGroupEntity.Checkpointed c = w.checkpoint(state);

        assertThat(c.removed()).isEmpty();
        assertThat(c.states().keySet()).containsExactly("a");
        assertThat(c.outputs()).extracting(TopicKeyGroupWorkTest::count).containsExactly(1L);
        state = state.apply(c);
        w.checkpointed();
        assertThat(w.states()).isEqualTo(state.states());
        assertThat(w.aheadOf(state)).isFalse();
    }

    @Test
    void recordsAlreadyAppliedAreSkipped() {
        TopicKeyGroupWork.Plan plan = plan(WINDOWED);
        TopicKeyGroupWork w =
                plan.apply(
                        TopicKeyGroupWork.from(TopicKeyGroupState.empty()),
                        PARTITION,
                        List.of(click(0, "a", 1_000), click(1, "a", 2_000)));
        TopicKeyGroupWork again =
                plan.apply(w, PARTITION, List.of(click(1, "a", 2_000), click(2, "a", 3_000)));

        TopicKeyGroupEntity.Checkpointed c =
                plan.onWatermark(again, MINUTE).checkpoint(TopicKeyGroupState.empty());
        assertThat(count(c.outputs().get(0))).as("offset 1 counted once").isEqualTo(3);
    }

    @Test
    void aTableKeepsTheLastRowOfEachKeyPerCheckpoint() {
        TopicKeyGroupWork.Plan plan =
                plan("CREATE TABLE totals AS SELECT usr, COUNT(*) AS n FROM clicks GROUP BY usr");
        List<TopicKeyGroupEntity.TopicInput> inputs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inputs.add(click(i, i % 2 == 0 ? "a" : "b", 1_000 + i));
        }
        TopicKeyGroupEntity.Checkpointed c =
                plan.apply(TopicKeyGroupWork.from(TopicKeyGroupState.empty()), PARTITION, inputs)
                        .checkpoint(TopicKeyGroupState.empty());

        assertThat(c.outputs()).extracting(PipelineRows.Output::key).containsExactly("a", "b");
        assertThat(c.outputs()).extracting(TopicKeyGroupWorkTest::count).containsExactly(5L, 5L);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {8, 16, 64})
    void keysSpreadOverEveryGroup(int groups) {
        int[] perGroup = new int[groups];
        for (int i = 0; i < 10_000; i++) {
            perGroup[io.virta.actors.api.TopicFeeds.keyGroupOf("user-" + i, groups)]++;
        }
        int expected = 10_000 / groups;
        for (int n : perGroup) {
            assertThat(n).isBetween(expected / 2, expected * 2);
        }
        assertThat(io.virta.actors.api.TopicFeeds.keyGroupOf("alice", groups))
                .as("the same key, the same group")
                .isEqualTo(io.virta.actors.api.TopicFeeds.keyGroupOf("alice", groups));
    }
}
