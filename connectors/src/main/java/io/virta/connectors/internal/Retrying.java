package io.virta.connectors.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API: runs an attempt until it succeeds, waiting longer after each failed try, and keeps
 * the last failure's message for the connector's status meanwhile. What waits on it (a partition, a
 * batch) reads nothing further, which is how a slow or absent store backpressures a source.
 */
final class Retrying {
    private static final Duration FIRST_RETRY_AFTER = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);

    private Retrying() {}

    static <T> CompletionStage<T> until(
            ActorSystem<?> system,
            AtomicReference<String> lastError,
            Supplier<CompletionStage<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(system, lastError, attempt, result, 1, null);
        return result;
    }

    /**
     * Doubles from half a second up to five, with a fifth of jitter, so that many attempts failing
     * together (an overloaded store) do not all come back together.
     */
    static Duration backoff(int tries) {
        long doubled = FIRST_RETRY_AFTER.toMillis() << Math.min(tries - 1, 10);
        long capped = Math.min(doubled, MAX_RETRY_AFTER.toMillis());
        long jitter =
                (long)
                        (capped
                                * 0.2
                                * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(capped + jitter);
    }

    /**
     * One try; {@code shown} is the message this chain put in {@code lastError}. Only the chain
     * that set a message clears it once it succeeds, so that one key recovering does not hide
     * another that still fails.
     */
    private static <T> void attempt(
            ActorSystem<?> system,
            AtomicReference<String> lastError,
            Supplier<CompletionStage<T>> attempt,
            CompletableFuture<T> result,
            int tries,
            String shown) {
        attempt.get()
                .whenComplete(
                        (value, failure) -> {
                            if (failure == null) {
                                if (shown != null) {
                                    lastError.compareAndSet(shown, "");
                                }
                                result.complete(value);
                                return;
                            }
                            String message =
                                    (failure.getMessage() == null
                                                    ? failure.toString()
                                                    : failure.getMessage())
                                            + " (try "
                                            + tries
                                            + ")";
                            lastError.set(message);
                            system.scheduler()
                                    .scheduleOnce(
                                            backoff(tries),
                                            () ->
                                                    attempt(
                                                            system, lastError, attempt, result,
                                                            tries + 1, message),
                                            system.executionContext());
                        });
    }
}
