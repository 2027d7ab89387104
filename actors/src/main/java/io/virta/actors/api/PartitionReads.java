package io.virta.actors.api;

import io.virta.actors.internal.KeyEntity;
import io.virta.actors.internal.StreamPartition;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A whole stream's events, read through its partition logs ({@link StreamPartition}): each
 * partition's entries in order, live, and each entry's events from its key's journal. The
 * partitions are merged as their events come; within a partition the order is the log's, so each
 * key's events come in sequence order. Everything is read at the subscriber's pace; an entry's
 * events, once read, serve the node's other subscribers too ({@link RecentEntryReads}).
 */
final class PartitionReads {
    private final CassandraReadJournal journal;
    private final ActorSystem<?> system;
    private final RecentEntryReads recent;

    PartitionReads(CassandraReadJournal journal, ActorSystem<?> system, int recentEntries) {
        this.journal = journal;
        this.system = system;
        this.recent = new RecentEntryReads(recentEntries);
    }

    /** The events of {@code stream} after {@code from}, then the new ones; never completes. */
    Source<PositionedEvent, NotUsed> subscribe(String stream, StreamPosition from) {
        int partitions = from.partitions();
        return Source.from(IntStream.range(0, partitions).boxed().toList())
                .flatMapMerge(partitions, p -> partition(stream, p, from))
                .statefulMap(
                        () -> from,
                        (position, read) -> {
                            StreamPosition next =
                                    position.after(read.partition, read.entry, read.event.seq());
                            return Pair.create(
                                    next, new PositionedEvent(read.key, read.event, next));
                        },
                        position -> Optional.empty());
    }

    private record Read(int partition, long entry, String key, StoredEvent event) {}

    private Source<Read, NotUsed> partition(String stream, int p, StreamPosition from) {
        long firstEntry = Math.max(1, from.entry(p));
        return journal.eventsByPersistenceId(
                        StreamPartition.persistenceId(stream, p).id(), firstEntry, Long.MAX_VALUE)
                .flatMapConcat(
                        envelope -> {
                            StreamPartition.Entry entry = (StreamPartition.Entry) envelope.event();
                            long fromSeq = entry.fromSeq();
                            if (envelope.sequenceNr() == from.entry(p)) {
                                fromSeq = Math.max(fromSeq, from.seq(p) + 1);
                            }
                            if (fromSeq > entry.toSeq()) {
                                return Source.empty();
                            }
                            String persistenceId =
                                    KeyEntity.persistenceId(stream, entry.key()).id();
                            long toSeq = entry.toSeq();
                            long first = fromSeq;
                            return Source.completionStage(
                                            recent.events(
                                                    persistenceId,
                                                    first,
                                                    toSeq,
                                                    () ->
                                                            journal.currentEventsByPersistenceId(
                                                                            persistenceId,
                                                                            first,
                                                                            toSeq)
                                                                    .map(
                                                                            PartitionReads
                                                                                    ::storedEvent)
                                                                    .runWith(Sink.seq(), system)))
                                    .mapConcat(events -> events)
                                    .map(
                                            event ->
                                                    new Read(
                                                            p,
                                                            envelope.sequenceNr(),
                                                            entry.key(),
                                                            event));
                        });
    }

    /** A key's journaled event as the API shows it. */
    static StoredEvent storedEvent(EventEnvelope envelope) {
        KeyEntity.Appended event = (KeyEntity.Appended) envelope.event();
        return new StoredEvent(
                envelope.sequenceNr(),
                event.id(),
                event.eventTimeMillis(),
                event.arrivalTimeMillis(),
                event.payload());
    }
}
