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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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

    static CompletionStage<List<AppendResult>> append(
            EventStore store, String stream, List<KeyedEvent> events, long arrivalMillis) {
        Map<String, List<Integer>> byKey = indicesByKey(events);
        AppendResult[] results = new AppendResult[events.size()];
        List<CompletableFuture<Void>> appends = new ArrayList<>(byKey.size());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Map.Entry<String, List<Integer>> key : byKey.entrySet()) {
            List<Integer> indices = key.getValue();
            List<KeyedEvent> keyEvents = indices.stream().map(events::get).toList();
            appends.add(
                    store.append(stream, key.getKey(), keyEvents, arrivalMillis)
                            .handle(
                                    (stored, failure) -> {
                                        List<AppendResult> done =
                                                failure == null ? stored : acknowledgedIn(failure);
                                        for (int i = 0; i < done.size(); i++) {
                                            results[indices.get(i)] = done.get(i);
                                        }
                                        if (failure != null) {
                                            failures.add(unwrap(failure));
                                        }
                                        return (Void) null;
                                    })
                            .toCompletableFuture());
        }
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))
                .thenApply(
                        all -> {
                            if (!failures.isEmpty()) {
                                throw failed(failures.get(0), results);
                            }
                            return Arrays.asList(results);
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
