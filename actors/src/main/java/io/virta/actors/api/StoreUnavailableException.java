package io.virta.actors.api;

import java.util.List;

/**
 * The store did not acknowledge in time (Cassandra unreachable or too slow, an entity restarting).
 *
 * <p>Events in {@link #acknowledged()} are durable. For the others the outcome is unknown: they may
 * or may not have been stored, so retry them with the same ids, which the store de-duplicates.
 */
public final class StoreUnavailableException extends RuntimeException {
    private final transient List<AppendResult> acknowledged;

    public StoreUnavailableException(
            String message, List<AppendResult> acknowledged, Throwable cause) {
        super(message, cause);
        this.acknowledged = List.copyOf(acknowledged);
    }

    /** Events of the failed call that are durable nonetheless. */
    public List<AppendResult> acknowledged() {
        return acknowledged;
    }
}
