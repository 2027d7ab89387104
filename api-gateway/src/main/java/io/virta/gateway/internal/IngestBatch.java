package io.virta.gateway.internal;

import io.virta.actors.api.AppendResult;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.OverloadedException;
import io.virta.actors.api.StoreUnavailableException;
import io.virta.runtime.stream.KeyedEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * INTERNAL API: appends the events of one request: grouped by key (each key's events in request
 * order), keys in parallel, results back in request order.
 *
 * <p>Completes only when every key's append is durable. When any key fails it fails with a 503
 * {@link ApiError} ({@code overloaded} or {@code unavailable}) whose detail says how many events
 * are durable anyway; their results are listed under {@code acknowledged} so a client can retry the
 * rest (events with ids are de-duplicated).
 */
final class IngestBatch {
    private IngestBatch() {}

    /**
     * Appends {@code events}, at most {@code parallelism} keys at a time. After the first failure
     * no further key is started, so a failing request stores as little as it can.
     */
    static CompletionStage<List<AppendResult>> append(
            EventStore store,
            String stream,
            List<KeyedEvent> events,
            long arrivalMillis,
            int parallelism) {
        List<Map.Entry<String, List<Integer>>> keys =
                new ArrayList<>(indicesByKey(events).entrySet());
        AppendResult[] results = new AppendResult[events.size()];
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(parallelism, keys.size()); w++) {
            CompletableFuture<Void> worker = new CompletableFuture<>();
            workers.add(worker);
            appendNext(store, stream, events, arrivalMillis, keys, next, results, failures, worker);
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenApply(
                        all -> {
                            if (!failures.isEmpty()) {
                                throw failed(failures.peek(), results);
                            }
                            return Arrays.asList(results);
                        });
    }

    /** One worker: appends the next key not yet taken, then the one after, until none is left. */
    private static void appendNext(
            EventStore store,
            String stream,
            List<KeyedEvent> events,
            long arrivalMillis,
            List<Map.Entry<String, List<Integer>>> keys,
            AtomicInteger next,
            AppendResult[] results,
            Queue<Throwable> failures,
            CompletableFuture<Void> worker) {
        int index = next.getAndIncrement();
        if (index >= keys.size() || !failures.isEmpty()) {
            worker.complete(null);
            return;
        }
        String key = keys.get(index).getKey();
        List<Integer> indices = keys.get(index).getValue();
        List<KeyedEvent> keyEvents = indices.stream().map(events::get).toList();
        store.append(stream, key, keyEvents, arrivalMillis)
                .whenComplete(
                        (stored, failure) -> {
                            List<AppendResult> done =
                                    failure == null ? stored : acknowledgedIn(failure);
                            for (int i = 0; i < done.size(); i++) {
                                results[indices.get(i)] = done.get(i);
                            }
                            if (failure != null) {
                                failures.add(unwrap(failure));
                            }
                            appendNext(
                                    store,
                                    stream,
                                    events,
                                    arrivalMillis,
                                    keys,
                                    next,
                                    results,
                                    failures,
                                    worker);
                        });
    }

    static Map<String, List<Integer>> indicesByKey(List<KeyedEvent> events) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            byKey.computeIfAbsent(events.get(i).key(), k -> new ArrayList<>()).add(i);
        }
        return byKey;
    }

    private static List<AppendResult> acknowledgedIn(Throwable failure) {
        return unwrap(failure) instanceof StoreUnavailableException unavailable
                ? unavailable.acknowledged()
                : List.of();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private static ApiError failed(Throwable cause, AppendResult[] results) {
        List<AppendResult> durable = Arrays.stream(results).filter(r -> r != null).toList();
        String summary =
                durable.size()
                        + " of "
                        + results.length
                        + " events are durable (listed under"
                        + " 'acknowledged'); retry the others";
        ApiError error =
                cause instanceof OverloadedException
                        ? ApiError.of(
                                StatusCodes.SERVICE_UNAVAILABLE,
                                "overloaded",
                                cause.getMessage() + ". " + summary)
                        : ApiError.of(
                                StatusCodes.SERVICE_UNAVAILABLE,
                                "unavailable",
                                "the event store did not acknowledge: "
                                        + cause.getMessage()
                                        + ". "
                                        + summary);
        return error.withAcknowledged(durable);
    }
}
