package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimerFiringTest {
    private static Map<String, Long> timers(int keys, long at) {
        Map<String, Long> timers = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            timers.put("k" + i, at + (i % 3));
        }
        return timers;
    }

    private static List<String> ids(List<TimerFiring.Due> due) {
        return due.stream().map(TimerFiring.Due::entityId).toList();
    }

    @Test
    void tellsAtMostTheLimitAndOneMorePerAnswerEarliestFirst() {
        TimerFiring firing = new TimerFiring(2, 10_000);
        Map<String, Long> timers = Map.of("late", 30L, "early", 10L, "middle", 20L, "later", 99L);

        List<TimerFiring.Due> first = firing.plan(timers, 50, 0);

        assertThat(ids(first)).containsExactly("early", "middle");
        assertThat(firing.inFlight()).isEqualTo(2);
        assertThat(ids(firing.answered("middle", 1))).containsExactly("late");
        assertThat(firing.answered("early", 2)).isEmpty();
        assertThat(firing.answered("late", 3)).isEmpty();
        assertThat(firing.inFlight()).isZero();
    }

    @Test
    void aPlanAgainDoesNotTellAgainWhoWasToldRecently() {
        TimerFiring firing = new TimerFiring(100, 10_000);
        Map<String, Long> timers = timers(5, 10);

        assertThat(firing.plan(timers, 100, 0)).hasSize(5);
        assertThat(firing.plan(timers, 100, 9_999)).isEmpty();
        assertThat(ids(firing.plan(timers, 100, 10_000))).hasSize(5);
    }

    @Test
    void aKeyThatNeverAnswersFreesItsPlaceAfterTheRefireTime() {
        TimerFiring firing = new TimerFiring(1, 1_000);
        Map<String, Long> timers = Map.of("silent", 1L, "next", 2L);

        assertThat(ids(firing.plan(timers, 5, 0))).containsExactly("silent");
        assertThat(firing.plan(timers, 5, 500)).isEmpty();
        assertThat(ids(firing.plan(timers, 5, 1_000))).containsExactly("silent");
    }

    @Test
    void timersAboveTheWatermarkWait() {
        TimerFiring firing = new TimerFiring(10, 1_000);

        assertThat(ids(firing.plan(Map.of("a", 5L, "b", 6L), 5, 0))).containsExactly("a");
    }
}
