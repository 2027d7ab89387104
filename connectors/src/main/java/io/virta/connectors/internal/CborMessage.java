package io.virta.connectors.internal;

/**
 * INTERNAL API: marks the connectors' messages and events that Pekko serializes with Jackson CBOR
 * (bound in this module's {@code reference.conf}).
 */
public interface CborMessage {}
