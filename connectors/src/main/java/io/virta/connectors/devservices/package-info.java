/**
 * Development services for the connectors: a real Kafka broker and a real Pulsar that Virta starts
 * on a developer's machine and in integration tests, so that nothing needs Docker or a separately
 * installed broker.
 *
 * <p>{@link io.virta.connectors.devservices.EmbeddedKafka} runs a single-node Apache Kafka 4.x
 * (KRaft, combined broker and controller) in its own JVM, configured by {@link
 * io.virta.connectors.devservices.EmbeddedKafkaSettings} (in code or from the {@code
 * virta.dev.kafka} block of the configuration). The broker's jars never join the application's
 * classpath, which stays on the kafka-clients 3.9.x that pekko-connectors-kafka needs: the launcher
 * reads their paths from a resource that the virta-kafka-server module records at build time. A
 * broker already answering on the configured port is reused rather than started twice.
 *
 * <p>{@link io.virta.connectors.devservices.EmbeddedPulsar} runs Apache Pulsar 4.x standalone (one
 * broker, one BookKeeper bookie, a RocksDB metadata store) in its own JVM the same way, configured
 * by {@link io.virta.connectors.devservices.EmbeddedPulsarSettings} (or the {@code
 * virta.dev.pulsar} block); its classpath is recorded by the virta-pulsar-server module, and the
 * application talks to it through the shaded pulsar-client only.
 *
 * <p>Not for production: the broker listens on loopback only, has no authentication and keeps one
 * replica of everything. Unix-like systems only (the recorded classpath is colon-separated).
 */
package io.virta.connectors.devservices;
