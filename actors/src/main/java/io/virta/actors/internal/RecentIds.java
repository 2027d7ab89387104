package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vavr.collection.LinkedHashMap;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: the most recent event ids of one key, each with the sequence number it was stored
 * under, in insertion order. Immutable: {@link #add} returns a new value that shares structure with
 * this one, so adding is O(1) amortized however many ids are remembered.
 */
public final class RecentIds {
    private static final RecentIds EMPTY = new RecentIds(LinkedHashMap.empty());

    private final LinkedHashMap<String, Long> seqById;

    private RecentIds(LinkedHashMap<String, Long> seqById) {
        this.seqById = seqById;
    }

    public static RecentIds empty() {
        return EMPTY;
    }

    /**
     * The sequence number {@code id} was stored under, or {@code null} when it is not remembered.
     */
    public Long seqOf(String id) {
        Option<Long> seq = seqById.get(id);
        return seq.getOrNull();
    }

    /**
     * This set plus {@code id}, dropping the oldest ids beyond {@code capacity}.
     *
     * @param capacity how many ids to remember at most; positive
     */
    public RecentIds add(String id, long seq, int capacity) {
        LinkedHashMap<String, Long> next = seqById.put(id, seq);
        while (next.size() > capacity) {
            next = next.tail();
        }
        return new RecentIds(next);
    }

    public int size() {
        return seqById.size();
    }

    /** The serialized form: {@code [[id, seq], ...]}, oldest first. */
    @JsonValue
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(seqById.size());
        seqById.forEach((id, seq) -> entries.add(new Entry(id, seq)));
        return entries;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RecentIds fromEntries(List<Entry> entries) {
        LinkedHashMap<String, Long> map = LinkedHashMap.empty();
        for (Entry e : entries) {
            map = map.put(e.id(), e.seq());
        }
        return new RecentIds(map);
    }

    /** One remembered id with its sequence number. */
    record Entry(String id, long seq) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof RecentIds that && entries().equals(that.entries());
    }

    @Override
    public int hashCode() {
        return entries().hashCode();
    }
}
