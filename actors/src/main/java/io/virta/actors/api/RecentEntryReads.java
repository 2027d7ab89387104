package io.virta.actors.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The events of recently read partition-log entries, shared by every whole-stream subscription on
 * this node: subscribers that follow a stream read the same entries at about the same time, and
 * without this each of them would read each entry's events from its key's journal again (one
 * Cassandra query per subscriber and entry). A journal's events never change once written, so an
 * entry's events can be kept as read. Concurrent readers of one entry share the read in flight; a
 * failed read is forgotten at once. Least recently used entries go first beyond {@code capacity}.
 */
final class RecentEntryReads {
    private record Entry(String persistenceId, long fromSeq, long toSeq) {}

    private final Map<Entry, CompletableFuture<List<StoredEvent>>> reads;

    RecentEntryReads(int capacity) {
        this.reads =
                new LinkedHashMap<>(capacity, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<Entry, CompletableFuture<List<StoredEvent>>> eldest) {
                        return size() > capacity;
                    }
                };
    }

    /** The events {@code fromSeq..toSeq} of {@code persistenceId}, read by {@code read} once. */
    CompletionStage<List<StoredEvent>> events(
            String persistenceId,
            long fromSeq,
            long toSeq,
            Supplier<CompletionStage<List<StoredEvent>>> read) {
        Entry entry = new Entry(persistenceId, fromSeq, toSeq);
        CompletableFuture<List<StoredEvent>> reading;
        boolean first = false;
        synchronized (reads) {
            reading = reads.get(entry);
            if (reading == null) {
                reading = new CompletableFuture<>();
                reads.put(entry, reading);
                first = true;
            }
        }
        if (first) {
            CompletableFuture<List<StoredEvent>> mine = reading;
            read.get()
                    .whenComplete(
                            (events, failure) -> {
                                if (failure != null) {
                                    synchronized (reads) {
                                        reads.remove(entry, mine);
                                    }
                                    mine.completeExceptionally(failure);
                                } else {
                                    mine.complete(List.copyOf(events));
                                }
                            });
        }
        return reading;
    }
}
