package io.virta.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.VirtaSystems;
import io.virta.actors.devservices.EmbeddedCassandra;
import io.virta.actors.devservices.EmbeddedCassandraSettings;
import io.virta.connectors.ConnectorService;
import io.virta.connectors.devservices.EmbeddedKafka;
import io.virta.connectors.devservices.EmbeddedKafkaSettings;
import io.virta.connectors.devservices.EmbeddedPulsar;
import io.virta.connectors.devservices.EmbeddedPulsarSettings;
import io.virta.gateway.internal.ClusterFormation;
import io.virta.gateway.internal.GatewayRoutes;
import io.virta.runtime.sql.SqlParser;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
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

    /**
     * Runs a node until the JVM is stopped (Ctrl-C, SIGTERM: Pekko's own shutdown hook runs the
     * coordinated shutdown; this one then stops the embedded servers) or the node leaves its
     * cluster.
     */
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
                    ConfigFactory.parseMap(driverSettings(config, contactPoints))
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
            // The parser's first use costs about half a second: paid here, beside the cluster's
            // start, rather than by the first declaration the node is given.
            CompletableFuture<Void> parserWarm = CompletableFuture.runAsync(SqlParser::warmUp);
            ActorSystem<Void> system = VirtaSystems.create("virta", effective);
            ClusterFormation.Joined joined = ClusterFormation.join(system);
            EventStore store = EventStore.create(system);
            ConnectorService connectors = ConnectorService.start(system, store);
            parserWarm.join();
            // The gateway binds while the catalog recovers: a request that needs the catalog
            // waits for it anyway, and the two take about a second each on a cold JVM.
            CompletableFuture<ServerBinding> bound =
                    CompletableFuture.supplyAsync(() -> bind(system, store, connectors, effective));
            if (joined == ClusterFormation.Joined.ITSELF) {
                // Alone, the node holds the catalog: recover it before the first declaration
                // waits for it. A joining node reaches the catalog only once it is a member.
                awaitCatalog(store);
            }
            ServerBinding binding = joinUnwrapped(bound);
            stopInOrder(system, binding, connectors);
            log.info(
                    "Virta node up: gateway on http://{}:{}, Cassandra at {}, cluster {}",
                    binding.localAddress().getHostString(),
                    binding.localAddress().getPort(),
                    contactPoints,
                    switch (joined) {
                        case ITSELF -> "of this node alone";
                        case SEED_NODES -> "joining seed nodes";
                        case BOOTSTRAP -> "bootstrapping through the Kubernetes API";
                    });
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

    /** The value of {@code future}, or the exception it failed with. */
    private static <T> T joinUnwrapped(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Waits for {@code store} to read the catalog; a failure is logged, not thrown. */
    private static void awaitCatalog(EventStore store) {
        try {
            store.pipelines().loadCatalog().toCompletableFuture().join();
        } catch (CompletionException e) {
            log.warn(
                    "The catalog was not read before the gateway opened ({}); it is read on the"
                            + " next refresh",
                    e.getCause().toString());
        }
    }

    /** The Cassandra driver's contact points and, when a user name is set, its credentials. */
    private static Map<String, Object> driverSettings(Config config, List<String> contactPoints) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put("datastax-java-driver.basic.contact-points", contactPoints);
        String username = config.getString("virta.cassandra.username");
        if (!username.isEmpty()) {
            String auth = "datastax-java-driver.advanced.auth-provider.";
            settings.put(auth + "class", "PlainTextAuthProvider");
            settings.put(auth + "username", username);
            settings.put(auth + "password", config.getString("virta.cassandra.password"));
        }
        return settings;
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
     * Stops the node through Pekko's coordinated shutdown (the gateway stops taking requests and
     * finishes those in flight, the connectors stop, the node leaves the cluster and hands its
     * shards off), then the embedded servers this node started. The same path runs on SIGTERM.
     * Idempotent.
     */
    @Override
    public void close() {
        CoordinatedShutdown.get(system)
                .runAll(CoordinatedShutdown.unknownReason())
                .toCompletableFuture()
                .join();
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

    /** Hooks the gateway and the connectors into the node's coordinated shutdown, in order. */
    private static void stopInOrder(
            ActorSystem<Void> system, ServerBinding binding, ConnectorService connectors) {
        Duration deadline =
                system.settings().config().getDuration("virta.gateway.shutdown-deadline");
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(
                CoordinatedShutdown.PhaseServiceUnbind(),
                "virta-gateway-unbind",
                () -> binding.unbind().thenApply(unbound -> Done.getInstance()));
        shutdown.addTask(
                CoordinatedShutdown.PhaseServiceRequestsDone(),
                "virta-gateway-requests-done",
                () -> binding.terminate(deadline).thenApply(terminated -> Done.getInstance()));
        shutdown.addTask(
                CoordinatedShutdown.PhaseServiceStop(),
                "virta-connectors-stop",
                () ->
                        CompletableFuture.supplyAsync(
                                () -> {
                                    connectors.close();
                                    return Done.getInstance();
                                }));
    }
}
