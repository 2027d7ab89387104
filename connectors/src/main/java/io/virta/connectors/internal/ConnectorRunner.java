package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.connectors.ConnectorStatus;
import java.util.concurrent.CompletionStage;

/** INTERNAL API: one running connector on this node. */
public interface ConnectorRunner {
    /** What it runs. */
    ConnectorSpec spec();

    /** Its state and counters now (asking the broker for end offsets). */
    CompletionStage<ConnectorStatus> status();

    /**
     * Called on every reconciliation: brings what it runs in line with the catalog (for example one
     * consumer per pipeline of a topic-history source). Nothing by default.
     */
    default void refresh() {}

    /** Stops it, after the work under way is committed; completes when stopped. */
    CompletionStage<Void> stop();
}
