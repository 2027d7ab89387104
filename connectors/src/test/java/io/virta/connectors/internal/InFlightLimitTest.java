package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void startsQueuedTasksInOrderAsRunningOnesComplete() {
        InFlightLimit limit = new InFlightLimit(2);
        List<CompletableFuture<Integer>> tasks = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletionStage<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            CompletableFuture<Integer> task = new CompletableFuture<>();
            tasks.add(task);
            results.add(
                    limit.run(
                            () -> {
                                started.add(n);
                                return task;
                            }));
        }

        assertThat(started).containsExactly(0, 1);
        tasks.get(1).complete(1);
        assertThat(started).containsExactly(0, 1, 2);
        tasks.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertThat(started).containsExactly(0, 1, 2, 3);
        assertThat(results.get(1).toCompletableFuture()).isCompletedWithValue(1);
        assertThat(results.get(0).toCompletableFuture()).isCompletedExceptionally();
        assertThat(results.get(3).toCompletableFuture()).isNotDone();
    }

    @Test
    void aTaskThatThrowsFreesItsPlace() {
        InFlightLimit limit = new InFlightLimit(1);

        CompletionStage<Object> thrown =
                limit.run(
                        () -> {
                            throw new IllegalArgumentException("bad");
                        });
        CompletionStage<String> next = limit.run(() -> CompletableFuture.completedFuture("ok"));

        assertThat(thrown.toCompletableFuture()).isCompletedExceptionally();
        assertThat(next.toCompletableFuture()).isCompletedWithValue("ok");
    }

    @Test
    void backoffGrowsAndStaysBounded() {
        assertThat(Retrying.backoff(1).toMillis()).isBetween(500L, 600L);
        assertThat(Retrying.backoff(3).toMillis()).isBetween(2_000L, 2_400L);
        assertThat(Retrying.backoff(50).toMillis()).isBetween(5_000L, 6_000L);
    }
}
