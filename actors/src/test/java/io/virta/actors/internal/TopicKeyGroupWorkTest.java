package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicKeyWorkTest {
    private static TopicKeyWork appliedUpTo(long offset) {
        return new TopicKeyWork(Map.of("t/0", offset), null, List.of(), Long.MIN_VALUE);
    }

    @Test
    void recordsFollowOnOnlyFromAnOffsetTheKeyApplied() {
        TopicKeyWork w = appliedUpTo(100);

        assertThat(w.continues("t/0", 100)).isTrue();
        assertThat(w.continues("t/0", 90)).as("a batch sent again").isTrue();
        assertThat(w.continues("t/0", 120)).as("the batch with 120 was lost").isFalse();
        assertThat(w.continues("t/1", 5)).as("nothing applied of t/1").isFalse();
    }

    @Test
    void theFirstRecordsSinceACommitAlwaysFollowOn() {
        assertThat(appliedUpTo(100).continues("t/0", TopicKeyEntity.FIRST_SINCE_COMMIT)).isTrue();
        assertThat(appliedUpTo(100).continues("t/9", TopicKeyEntity.FIRST_SINCE_COMMIT)).isTrue();
    }
}
