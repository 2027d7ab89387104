/**
 * Streams and their events: what a stream declares about its events (where the key, the event time
 * and the event id are found) and how a raw JSON event becomes a keyed, timestamped event.
 *
 * <p>Everything here is pure: no I/O, no clock. The arrival time of an event is passed in by the
 * caller.
 */
package io.virta.runtime.stream;
