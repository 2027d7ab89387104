package io.virta.actors.api;

/**
 * Refused because this node already has as many appends in flight as it allows: nothing of the
 * refused append was stored. Retry later.
 */
public final class OverloadedException extends RuntimeException {
    public OverloadedException(String message) {
        super(message);
    }
}
