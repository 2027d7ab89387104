package io.virta.actors.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * INTERNAL API: what pipelines read from the key entities' journals: a key's events by sequence
 * number, and every key of a stream.
 */
public final class KeyJournalReads implements InputReader {
    private final ActorSystem<?> system;
    private final CassandraReadJournal readJournal;
    private final Duration timeout;
    private final Executor executor;

    public KeyJournalReads(
            ActorSystem<?> system, CassandraReadJournal readJournal, Duration timeout) {
        this.system = system;
        this.readJournal = readJournal;
        this.timeout = timeout;
        this.executor = system.executionContext();
    }

    @Override
    public CompletionStage<List<PipelineRows.Input>> read(
            String stream, String key, long fromSeq, int max) {
        String persistenceId = KeyEntity.persistenceId(stream, key).id();
        return Futures.on(
                readJournal
                        .currentEventsByPersistenceId(persistenceId, fromSeq, Long.MAX_VALUE)
                        .take(max)
                        .map(
                                envelope -> {
                                    KeyEntity.Appended event =
                                            (KeyEntity.Appended) envelope.event();
                                    return new PipelineRows.Input(
                                            envelope.sequenceNr(),
                                            event.eventTimeMillis(),
                                            event.arrivalTimeMillis(),
                                            event.payload());
                                })
                        .completionTimeout(timeout)
                        .runWith(Sink.seq(), system),
                executor);
    }

    /**
     * The rows group {@code key} of re-keying pipeline {@code pipeline} aggregated, in the order it
     * aggregated them.
     */
    public CompletionStage<List<PipelineRows.Output>> groupRows(String pipeline, String key) {
        String persistenceId =
                PersistenceId.of(
                                PipelineGroupEntity.TYPE_KEY.name(),
                                PipelineGroupEntity.entityId(pipeline, key))
                        .id();
        return Futures.on(
                readJournal
                        .currentEventsByPersistenceId(persistenceId, 1, Long.MAX_VALUE)
                        .mapConcat(
                                envelope ->
                                        envelope.event() instanceof PipelineGroupEntity.Grouped g
                                                ? g.rows()
                                                : List.of())
                        .completionTimeout(timeout)
                        .runWith(Sink.seq(), system),
                executor);
    }

    /** Every key of {@code stream} that has stored events. */
    public CompletionStage<List<String>> keys(String stream) {
        String prefix = KeyEntity.persistenceId(stream, "").id();
        return Futures.on(
                readJournal
                        .currentPersistenceIds()
                        .filter(id -> id.startsWith(prefix))
                        .map(id -> id.substring(prefix.length()))
                        .runWith(Sink.seq(), system),
                executor);
    }
}
