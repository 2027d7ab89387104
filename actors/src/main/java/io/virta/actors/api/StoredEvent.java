package io.virta.actors.api;

/**
 * An event as stored for its key.
 *
 * @param seq sequence number within the key, from 1, without gaps
 * @param id the event's id
 * @param eventTimeMillis event time, epoch milliseconds
 * @param arrivalTimeMillis when it reached Virta, epoch milliseconds
 * @param payload the event as posted, compact JSON text
 */
public record StoredEvent(
        long seq, String id, long eventTimeMillis, long arrivalTimeMillis, String payload) {}
