package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.impl.BatchMessageIdImpl;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.Test;

/** Pulsar message ids as the rising positions key groups checkpoint. */
class PulsarPositionsTest {

    @Test
    void positionsRiseAsLedgerEntryAndBatchIndexDo() {
        List<Long> inPulsarOrder = new ArrayList<>();
        for (long ledger : new long[] {0, 7, PulsarPositions.MAX_LEDGER}) {
            for (long entry : new long[] {0, 1, 50_000, PulsarPositions.MAX_ENTRY}) {
                for (int batchIndex : new int[] {-1, 0, 1, 999, PulsarPositions.MAX_BATCH_INDEX}) {
                    inPulsarOrder.add(PulsarPositions.of(ledger, entry, batchIndex));
                }
            }
        }
        assertThat(inPulsarOrder).isSorted().doesNotHaveDuplicates().allMatch(p -> p >= 0);
    }

    @Test
    void aMessageIdOfTheClientIsPositionedByItsLedgerEntryAndBatchIndex() {
        assertThat(PulsarPositions.of(new MessageIdImpl(5, 10, 2)))
                .isEqualTo(PulsarPositions.of(5, 10, -1));
        assertThat(PulsarPositions.of(new BatchMessageIdImpl(5, 10, 2, 3)))
                .isEqualTo(PulsarPositions.of(5, 10, 3))
                .isGreaterThan(PulsarPositions.of(new BatchMessageIdImpl(5, 10, 2, 2)));
        assertThatThrownBy(() -> PulsarPositions.of(MessageId.earliest))
                .as("a subscription's start, not a message")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idsBeyondWhatTheNumberHoldsAreRefusedWithTheWayOut() {
        assertThatThrownBy(() -> PulsarPositions.of(PulsarPositions.MAX_LEDGER + 1, 0, -1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(PulsarPositions.MAX_LEDGER + 1))
                .hasMessageContaining("'history' = 'cassandra'");
        assertThatThrownBy(() -> PulsarPositions.of(1, PulsarPositions.MAX_ENTRY + 1, -1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PulsarPositions.of(1, 1, PulsarPositions.MAX_BATCH_INDEX + 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPartitionTopicNamesItsIndexAndAnUnpartitionedTopicIsPartitionZero() {
        assertThat(PulsarOptions.partitionIndex("persistent://public/default/clicks-partition-11"))
                .isEqualTo(11);
        assertThat(PulsarOptions.partitionIndex("persistent://public/default/clicks")).isZero();
    }

    @Test
    void aMessageFollowsAnotherOnlyWhenNothingCanLieBetweenThem() {
        MessageId single = new MessageIdImpl(5, 10, 0);
        assertThat(PulsarPositions.follows(single, new MessageIdImpl(5, 11, 0))).isTrue();
        assertThat(PulsarPositions.follows(single, batched(5, 11, 0, 3))).isTrue();
        assertThat(PulsarPositions.follows(single, new MessageIdImpl(5, 12, 0)))
                .as("entry 11 lies between")
                .isFalse();
        assertThat(PulsarPositions.follows(single, new MessageIdImpl(6, 0, 0)))
                .as("a new ledger: the rest of ledger 5 may lie between")
                .isFalse();

        assertThat(PulsarPositions.follows(batched(5, 10, 0, 3), batched(5, 10, 1, 3))).isTrue();
        assertThat(PulsarPositions.follows(batched(5, 10, 0, 3), batched(5, 10, 2, 3)))
                .as("index 1 lies between")
                .isFalse();
        assertThat(PulsarPositions.follows(batched(5, 10, 2, 3), batched(5, 11, 0, 2))).isTrue();
        assertThat(PulsarPositions.follows(batched(5, 10, 1, 3), batched(5, 11, 0, 2)))
                .as("the batch's last message lies between")
                .isFalse();
        assertThat(PulsarPositions.follows(batched(5, 10, 1, 3), batched(5, 10, 1, 3))).isFalse();
        assertThat(PulsarPositions.follows(MessageId.earliest, single)).isFalse();
    }

    private static MessageId batched(long ledger, long entry, int index, int size) {
        return new BatchMessageIdImpl(ledger, entry, 0, index, size, null);
    }
}
