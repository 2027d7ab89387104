package io.virta.actors.internal;

import io.virta.actors.api.AppendResult;
import io.virta.actors.api.StoreUnavailableException;
import io.virta.runtime.stream.KeyedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * INTERNAL API: splits one key's events into the atomic batches its entity persists, each within
 * {@link KeyEntitySettings#maxBatchEvents()} events and {@link KeyEntitySettings#maxBatchBytes()}
 * payload bytes. An event larger than the byte limit forms a batch of its own. Order is kept; the
 * batches go to the entity one after the other ({@link #sendInOrder}).
 */
public final class AppendBatches {
    private AppendBatches() {}

    public static List<List<KeyEntity.NewEvent>> split(
            List<KeyedEvent> events, long arrivalMillis, KeyEntitySettings settings) {
        List<List<KeyEntity.NewEvent>> batches = new ArrayList<>();
        List<KeyEntity.NewEvent> current = new ArrayList<>();
        long currentBytes = 0;
        for (KeyedEvent event : events) {
            String payload = event.payload().toString();
            long bytes = payload.getBytes(StandardCharsets.UTF_8).length;
            boolean full =
                    current.size() == settings.maxBatchEvents()
                            || currentBytes + bytes > settings.maxBatchBytes();
            if (!current.isEmpty() && full) {
                batches.add(List.copyOf(current));
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(
                    new KeyEntity.NewEvent(
                            event.id(), event.eventTimeMillis(), arrivalMillis, payload));
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            batches.add(List.copyOf(current));
        }
        return batches;
    }

    /**
     * Sends {@code batches} of {@code key} to its entity one after the other, each once the one
     * before was acknowledged. Completes with one result per event, in order, or exceptionally with
     * a {@link StoreUnavailableException} that holds the results acknowledged before the failure.
     *
     * @param appendDeadline how long the entity may take to start storing a batch
     */
    public static CompletableFuture<List<AppendResult>> sendInOrder(
            EntityRef<KeyEntity.Command> entity,
            String key,
            List<List<KeyEntity.NewEvent>> batches,
            Duration askTimeout,
            Duration appendDeadline,
            Executor executor) {
        CompletableFuture<List<AppendResult>> done = new CompletableFuture<>();
        send(
                entity,
                key,
                batches,
                0,
                askTimeout,
                appendDeadline,
                executor,
                new ArrayList<>(),
                done);
        return done;
    }

    private static void send(
            EntityRef<KeyEntity.Command> entity,
            String key,
            List<List<KeyEntity.NewEvent>> batches,
            int index,
            Duration askTimeout,
            Duration appendDeadline,
            Executor executor,
            List<AppendResult> acknowledged,
            CompletableFuture<List<AppendResult>> done) {
        if (index == batches.size()) {
            done.complete(List.copyOf(acknowledged));
            return;
        }
        List<KeyEntity.NewEvent> batch = batches.get(index);
        long deadline = System.currentTimeMillis() + appendDeadline.toMillis();
        Futures.on(
                        entity.<KeyEntity.AppendReply>ask(
                                replyTo -> new KeyEntity.Append(batch, deadline, replyTo),
                                askTimeout),
                        executor)
                .whenComplete(
                        (reply, failure) -> {
                            if (failure != null || !(reply instanceof KeyEntity.Ack)) {
                                String why =
                                        failure != null
                                                ? failure.getMessage()
                                                : reply instanceof KeyEntity.Unconfirmed u
                                                        ? u.reason()
                                                        : "the key could not start storing in time";
                                done.completeExceptionally(
                                        new StoreUnavailableException(
                                                "no acknowledgement for key '"
                                                        + key
                                                        + "' within "
                                                        + askTimeout.toMillis()
                                                        + " ms: "
                                                        + why,
                                                acknowledged,
                                                failure));
                                return;
                            }
                            KeyEntity.Ack ack = (KeyEntity.Ack) reply;
                            for (int i = 0; i < batch.size(); i++) {
                                KeyEntity.EventAck event = ack.events().get(i);
                                acknowledged.add(
                                        new AppendResult(
                                                batch.get(i).id(),
                                                key,
                                                event.seq(),
                                                event.duplicate()));
                            }
                            send(
                                    entity,
                                    key,
                                    batches,
                                    index + 1,
                                    askTimeout,
                                    appendDeadline,
                                    executor,
                                    acknowledged,
                                    done);
                        });
    }
}
