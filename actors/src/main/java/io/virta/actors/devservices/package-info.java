/**
 * Development services: real backing servers that Virta starts on a developer's machine and in
 * integration tests, so that nothing needs Docker or a separately installed server.
 *
 * <p>{@link io.virta.actors.devservices.EmbeddedCassandra} runs a single-node Apache Cassandra 5.0
 * in its own JVM, configured by {@link io.virta.actors.devservices.EmbeddedCassandraSettings} (in
 * code or from the {@code virta.dev.cassandra} block of the configuration). Cassandra's jars never
 * join the application's classpath: the launcher reads their paths from a resource that the
 * virta-cassandra-server module records at build time. A server already answering CQL on the
 * configured port is reused rather than started twice.
 *
 * <p>Not for production: the node listens on loopback only, has no authentication and trades
 * durability for a small footprint. Unix-like systems only (the recorded classpath is
 * colon-separated), and the current JVM must be a Java version Cassandra 5.0 runs on (11 or 17).
 */
package io.virta.actors.devservices;
