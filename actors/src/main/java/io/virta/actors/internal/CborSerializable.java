package io.virta.actors.internal;

/**
 * INTERNAL API: marks messages, events and snapshots that Pekko serializes with Jackson CBOR (bound
 * in {@code reference.conf}).
 */
public interface CborSerializable {}
