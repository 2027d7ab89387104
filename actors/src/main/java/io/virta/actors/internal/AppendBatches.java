package io.virta.actors.internal;

import io.virta.runtime.stream.KeyedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: splits one key's events into the atomic batches its entity persists, each within
 * {@link KeyEntitySettings#maxBatchEvents()} events and {@link KeyEntitySettings#maxBatchBytes()}
 * payload bytes. An event larger than the byte limit forms a batch of its own. Order is kept.
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
}
