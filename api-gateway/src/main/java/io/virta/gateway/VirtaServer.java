package io.virta.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.VirtaCluster;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.connectors.ConnectorService;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.connectors.devservices.EmbeddedKafkaSettings;
import io.virta.connectors.devservices.EmbeddedPulsar;
import io.virta.connectors.devservices.EmbeddedPulsarSettings;
import io.virta.gateway.internal.GatewayRoutes;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Virta node: a Pekko cluster member hosting the event store's entities, and the HTTP gateway.
 *
 * <p>With {@code virta.cassandra.contact-points} empty, the node first starts the embedded
 * Cassandra ({@code virta.dev.cassandra}), or reuses one already answering on its port, and stops
 * it when the node stops if it started it. {@link #close()} unbinds the gateway, leaves the cluster
 * and terminates the actor system.
 *
 * <pre>{@code
 * try (VirtaServer server = VirtaServer.start(ConfigFactory.load())) {
 *     System.out.println("gateway on port " + server.httpPort());
 * }
 * }</pre>
 */
public final class VirtaServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VirtaServer.class);

    private final ActorSystem<Void> system;
    private final EventStore store;
    private final ConnectorService connectors;
    private final ServerBinding binding;
    private final EmbeddedCassandra embeddedCassandra;
    private final EmbeddedKafka embeddedKafka;
    private final EmbeddedPulsar embeddedPulsar;

    private VirtaServer(
            ActorSystem<Void> system,
            EventStore store,
            ConnectorService connectors,
            ServerBinding binding,
            EmbeddedCassandra embeddedCassandra,
            EmbeddedKafka embeddedKafka,
            EmbeddedPulsar embeddedPulsar) {
        this.system = system;
        this.store = store;
        this.connectors = connectors;
        this.binding = binding;
        this.embeddedCassandra = embeddedCassandra;
        this.embeddedKafka = embeddedKafka;
        this.embeddedPulsar = embeddedPulsar;
    }

    /** Runs a node until the JVM is stopped (Ctrl-C, SIGTERM). */
    public static void main(String[] args) {
        VirtaServer server = start(ConfigFactory.load());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "virta-shutdown"));
        server.system.getWhenTerminated().toCompletableFuture().join();
    }

    /**
     * Starts a node with {@code config} (application.conf with its fallbacks) and waits until the
     * gateway is bound.
     *
     * @throws IllegalStateException when the embedded Cassandra or the HTTP port cannot be started
     */
    public static VirtaServer start(Config config) {
        EmbeddedCassandra cassandra = null;
        EmbeddedKafka kafka = null;
        EmbeddedPulsar pulsar = null;
        List<String> contactPoints =
                contactPoints(config.getString("virta.cassandra.contact-points"));
        if (contactPoints.isEmpty()) {
            cassandra = EmbeddedCassandra.start(EmbeddedCassandraSettings.fromConfig(config));
            contactPoints = List.of(cassandra.contactPoint());
        }
        try {
            Config effective =
                    ConfigFactory.parseMap(
                                    Map.of(
                                            "datastax-java-driver.basic.contact-points",
                                            contactPoints))
                            .withFallback(config)
                            .resolve();
            if (config.getBoolean("virta.dev.pulsar.enabled")) {
                pulsar = EmbeddedPulsar.start(EmbeddedPulsarSettings.fromConfig(config));
                log.info(
                        "Pulsar for development at {} (admin {})",
                        pulsar.serviceUrl(),
                        pulsar.adminUrl());
            }
            if (config.getBoolean("virta.dev.kafka.enabled")) {
                kafka = EmbeddedKafka.start(EmbeddedKafkaSettings.fromConfig(config));
                log.info("Kafka for development at {}", kafka.bootstrapServers());
            }
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "virta", effective);
            boolean alone = VirtaCluster.joinSelfUnlessSeeded(system);
            EventStore store = EventStore.create(system);
            ConnectorService connectors = ConnectorService.start(system, store);
            ServerBinding binding = bind(system, store, connectors, effective);
            log.info(
                    "Virta node up: gateway on http://{}:{}, Cassandra at {}, cluster {}",
                    binding.localAddress().getHostString(),
                    binding.localAddress().getPort(),
                    contactPoints,
                    alone ? "of this node alone" : "joining seed nodes");
            return new VirtaServer(system, store, connectors, binding, cassandra, kafka, pulsar);
        } catch (RuntimeException e) {
            if (pulsar != null) {
                pulsar.stop();
            }
            if (kafka != null) {
                kafka.stop();
            }
            if (cassandra != null) {
                cassandra.stop();
            }
            throw e;
        }
    }

    private static ServerBinding bind(
            ActorSystem<Void> system,
            EventStore store,
            ConnectorService connectors,
            Config config) {
        String host = config.getString("virta.gateway.http.host");
        int port = config.getInt("virta.gateway.http.port");
        try {
            return Http.get(system)
                    .newServerAt(host, port)
                    .bind(new GatewayRoutes(store, connectors, config).routes())
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            system.terminate();
            throw new IllegalStateException(
                    "could not bind the gateway to " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    static List<String> contactPoints(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** The port the gateway is bound to. */
    public int httpPort() {
        return binding.localAddress().getPort();
    }

    /** The node's actor system. */
    public ActorSystem<Void> system() {
        return system;
    }

    /** The node's event store. */
    public EventStore store() {
        return store;
    }

    /**
     * Stops the gateway, the node and the embedded Cassandra if this node started it. Idempotent.
     */
    @Override
    public void close() {
        Duration deadline =
                system.settings().config().getDuration("virta.gateway.shutdown-deadline");
        try {
            binding.terminate(deadline)
                    .toCompletableFuture()
                    .get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Gateway did not stop cleanly: {}", e.toString());
        }
        connectors.close();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        if (embeddedKafka != null) {
            embeddedKafka.stop();
        }
        if (embeddedPulsar != null) {
            embeddedPulsar.stop();
        }
        if (embeddedCassandra != null) {
            embeddedCassandra.stop();
        }
        log.info("Virta node stopped");
    }
}
