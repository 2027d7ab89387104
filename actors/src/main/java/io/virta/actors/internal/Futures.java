package io.virta.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * INTERNAL API: re-homes a Pekko {@link CompletionStage} onto a plain {@link CompletableFuture}
 * completed on a given executor.
 *
 * <p>Why: stages that Pekko converts from Scala futures run every callback asynchronously on the
 * JDK's common pool, even {@code thenApply}. On a machine with fewer than three cores that pool has
 * parallelism 1, and the JDK then runs each such callback on a brand-new thread; under load that
 * thread churn dominated the cost of an append. Callers chain on the returned future instead, whose
 * callbacks run where it completes: on {@code executor}.
 */
public final class Futures {
    private Futures() {}

    /** A plain future completed with {@code stage}'s outcome, on {@code executor}. */
    public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync(
                (value, failure) -> {
                    if (failure != null) {
                        plain.completeExceptionally(failure);
                    } else {
                        plain.complete(value);
                    }
                },
                executor);
        return plain;
    }
}
