package io.virta.actors.api;

/**
 * An event of a whole-stream subscription: its key, the event, and the subscriber's position just
 * after it (to resume from).
 */
public record PositionedEvent(String key, StoredEvent event, StreamPosition position) {}
