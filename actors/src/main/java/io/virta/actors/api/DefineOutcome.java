package io.virta.actors.api;

import io.virta.runtime.stream.StreamDefinition;

/**
 * What defining a stream did.
 *
 * @param status whether the stream was created, already existed identically, or conflicts
 * @param definition the definition now in force under that name (for a conflict, the existing one)
 */
public record DefineOutcome(Status status, StreamDefinition definition) {
    /** The three outcomes of a definition. */
    public enum Status {
        /** The stream is new. */
        CREATED,
        /** An identical definition existed: nothing changed. */
        EXISTS,
        /** A different definition exists under the name: nothing changed. */
        CONFLICT
    }
}
