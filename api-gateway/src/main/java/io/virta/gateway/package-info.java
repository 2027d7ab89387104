/**
 * The Virta server: {@link io.virta.gateway.VirtaServer} starts a node (Cassandra connection or the
 * embedded Cassandra, the Pekko cluster member, the event store) and serves the HTTP gateway.
 */
package io.virta.gateway;
