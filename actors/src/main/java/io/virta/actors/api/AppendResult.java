package io.virta.actors.api;

/**
 * The durable outcome of one appended event.
 *
 * @param id the event's id (client-given or assigned)
 * @param key the key it was stored under
 * @param seq its sequence number within the key, from 1; for a duplicate, the number it was first
 *     stored under
 * @param duplicate true when the key had already stored an event with this id, so nothing new was
 *     stored
 */
public record AppendResult(String id, String key, long seq, boolean duplicate) {}
