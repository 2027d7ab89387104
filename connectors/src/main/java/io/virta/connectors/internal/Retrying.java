package io.virta.connectors.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API: runs an attempt until it succeeds, waiting between tries, and keeps the last
 * failure's message for the connector's status meanwhile. What waits on it (a partition, a batch)
 * reads nothing further, which is how a slow or absent store backpressures a source.
 */
final class Retrying {
    private static final Duration RETRY_AFTER = Duration.ofMillis(500);

    private Retrying() {}

    static <T> CompletionStage<T> until(
            ActorSystem<?> system,
            AtomicReference<String> lastError,
            Supplier<CompletionStage<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(system, lastError, attempt, result);
        return result;
    }

    private static <T> void attempt(
            ActorSystem<?> system,
            AtomicReference<String> lastError,
            Supplier<CompletionStage<T>> attempt,
            CompletableFuture<T> result) {
        attempt.get()
                .whenComplete(
                        (value, failure) -> {
                            if (failure == null) {
                                lastError.set("");
                                result.complete(value);
                                return;
                            }
                            lastError.set(
                                    failure.getMessage() == null
                                            ? failure.toString()
                                            : failure.getMessage());
                            system.scheduler()
                                    .scheduleOnce(
                                            RETRY_AFTER,
                                            () -> attempt(system, lastError, attempt, result),
                                            system.executionContext());
                        });
    }
}
