/**
 * The public face of Virta's actors: {@link io.virta.actors.api.EventStore} stores and replays the
 * events of each (stream, key) in cluster-sharded, event-sourced entities persisted in Cassandra,
 * and keeps the durable catalog of streams; {@link io.virta.actors.api.VirtaCluster} forms the
 * Pekko cluster.
 */
package io.virta.actors.api;
