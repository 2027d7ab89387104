package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** When the dead-letter scan takes poison records from the pipelines' consumers, and when not. */
class PoisonLedgerTest {
    private final PoisonLedger ledger = new PoisonLedger(1_000, Duration.ofMinutes(5));

    private static Optional<Map<Long, String>> now(
            CompletionStage<Optional<Map<Long, String>>> answer) {
        CompletableFuture<Optional<Map<Long, String>>> f = answer.toCompletableFuture();
        assertThat(f).as("answered at once").isDone();
        return f.join();
    }

    @Test
    void aPartitionTheScanDoesNotReadHereIsParsedByTheScan() {
        ledger.classified("p#1", 0, 0, 99, Map.of(5L, "no key"));

        assertThat(now(ledger.poison(0, 0, 99))).isEmpty();
    }

    @Test
    void aBatchAConsumerClassifiedGetsItsPoisonRecords() {
        ledger.scanning(0);
        ledger.classified("p#1", 0, 0, 49, Map.of(5L, "no key"));
        ledger.classified("p#1", 0, 50, 99, Map.of(70L, "not JSON"));

        assertThat(now(ledger.poison(0, 0, 99))).contains(Map.of(5L, "no key", 70L, "not JSON"));
        assertThat(now(ledger.poison(0, 10, 60))).contains(Map.of());
    }

    /** The scan reads partition 0 and asks for 50 to 99; consumer p#1 parsed 0 to 49 so far. */
    private CompletableFuture<Optional<Map<Long, String>>> batchAheadOfConsumer() {
        ledger.scanning(0);
        ledger.classified("p#1", 0, 0, 49, Map.of());
        return ledger.poison(0, 50, 99).toCompletableFuture();
    }

    @Test
    void aBatchAheadOfAConsumerWaitsForIt() {
        CompletableFuture<Optional<Map<Long, String>>> answer = batchAheadOfConsumer();

        assertThat(answer).isNotDone();
        ledger.classified("p#1", 0, 50, 80, Map.of(60L, "no key"));
        assertThat(answer).isNotDone();
        ledger.classified("p#1", 0, 81, 120, Map.of(110L, "no key"));

        assertThat(answer).isCompletedWithValue(Optional.of(Map.of(60L, "no key")));
    }

    @Test
    void anyConsumerCoveringTheBatchAnswersIt() {
        ledger.scanning(0);
        ledger.classified("slow#1", 0, 0, 10, Map.of());
        ledger.classified("fast#1", 0, 0, 200, Map.of(150L, "no key"));

        assertThat(now(ledger.poison(0, 100, 199))).contains(Map.of(150L, "no key"));
    }

    @Test
    void aConsumerThatStartedAfterTheBatchCannotAnswerIt() {
        ledger.scanning(0);
        ledger.classified("p#1", 0, 100, 199, Map.of());

        assertThat(now(ledger.poison(0, 50, 120))).isEmpty();
    }

    @Test
    void aConsumerFarBehindIsNotWaitedFor() {
        ledger.scanning(0);
        ledger.classified("backfill#1", 0, 0, 99, Map.of());

        assertThat(now(ledger.poison(0, 5_000, 5_099))).isEmpty();
    }

    @Test
    void aWaitingBatchIsParsedByTheScanWhenItsConsumerStops() {
        CompletableFuture<Optional<Map<Long, String>>> answer = batchAheadOfConsumer();

        ledger.released("p#1", 0);

        assertThat(answer).isCompletedWithValue(Optional.empty());
    }

    @Test
    void aNewReadingOfAPartitionStartsItsOwnInterval() {
        ledger.scanning(0);
        ledger.classified("p#1", 0, 0, 49, Map.of());
        ledger.released("p#1", 0);
        // Another node read 50 to 499 meanwhile; this one reads the partition again from 500.
        ledger.classified("p#2", 0, 500, 599, Map.of());

        assertThat(now(ledger.poison(0, 100, 199))).isEmpty();
        assertThat(now(ledger.poison(0, 500, 599))).contains(Map.of());
    }

    @Test
    void aWaitingBatchIsParsedByTheScanWhenTheScanLosesThePartition() {
        ledger.scanning(0);
        CompletableFuture<Optional<Map<Long, String>>> answer = batchAheadOfConsumer();

        ledger.notScanning(0);
        assertThat(answer).as("one reading of the partition remains").isNotDone();
        ledger.notScanning(0);

        assertThat(answer).isCompletedWithValue(Optional.empty());
    }

    @Test
    void aWaitingBatchIsParsedByTheScanAfterTheLongestWait() {
        PoisonLedger impatient = new PoisonLedger(1_000, Duration.ofMillis(50));
        impatient.scanning(0);
        impatient.classified("stuck#1", 0, 0, 49, Map.of());

        CompletableFuture<Optional<Map<Long, String>>> answer =
                impatient.poison(0, 50, 99).toCompletableFuture();

        await().atMost(Duration.ofSeconds(10)).until(answer::isDone);
        assertThat(answer.join()).isEmpty();
    }

    @Test
    void whatTheScanIsPastIsForgotten() {
        ledger.scanning(0);
        ledger.classified("p#1", 0, 0, 99, Map.of(5L, "no key", 70L, "no key"));

        ledger.scannedUpTo(0, 49);

        assertThat(now(ledger.poison(0, 50, 99))).contains(Map.of(70L, "no key"));
        assertThat(now(ledger.poison(0, 0, 49))).contains(Map.of());
    }

    @Test
    void tooManyPoisonRecordsMakeTheLedgerForgetRatherThanGrow() {
        ledger.scanning(0);
        Map<Long, String> many = new HashMap<>();
        for (long o = 0; o <= PoisonLedger.MAX_POISON_PER_PARTITION; o++) {
            many.put(o, "no key");
        }

        ledger.classified("p#1", 0, 0, PoisonLedger.MAX_POISON_PER_PARTITION, many);

        assertThat(now(ledger.poison(0, 0, 99))).isEmpty();
        long next = PoisonLedger.MAX_POISON_PER_PARTITION + 1;
        ledger.classified("p#1", 0, next, next + 99, Map.of());
        assertThat(now(ledger.poison(0, next, next + 99)))
                .as("the next batch starts a new interval")
                .contains(Map.of());
    }
}
