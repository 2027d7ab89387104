package io.virta.connectors.internal;

import io.virta.actors.api.PositionedEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API: how a sink writes a batch of a stream's events to its topic: record key = the
 * event's key, value = its payload, the event id in a header or property {@code virta-event-id}.
 */
interface TopicWriter extends AutoCloseable {
    /** Completes once the broker acknowledged every event of {@code batch}. */
    CompletionStage<Void> write(List<PositionedEvent> batch);

    /** Closes the client, waiting a little for sends under way (off the caller's thread). */
    @Override
    void close();
}
