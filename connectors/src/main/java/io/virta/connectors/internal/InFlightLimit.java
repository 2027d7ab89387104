package io.virta.connectors.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * INTERNAL API: at most {@code max} asynchronous tasks running at once, the others queued in
 * arrival order. Shared by all partitions of one consumer, so that the journal writes it starts
 * stay bounded however many partitions checkpoint together. Thread-safe.
 */
final class InFlightLimit {
    private final int max;
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private int running;

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
    }

    /** Runs {@code task} once a place is free; completes as it does. */
    <T> CompletionStage<T> run(Supplier<CompletionStage<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start =
                () -> {
                    CompletionStage<T> started;
                    try {
                        started = task.get();
                    } catch (RuntimeException e) {
                        started = CompletableFuture.failedFuture(e);
                    }
                    started.whenComplete(
                            (value, failure) -> {
                                release();
                                if (failure != null) {
                                    result.completeExceptionally(failure);
                                } else {
                                    result.complete(value);
                                }
                            });
                };
        boolean now;
        synchronized (this) {
            now = running < max;
            if (now) {
                running++;
            } else {
                queued.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = queued.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
