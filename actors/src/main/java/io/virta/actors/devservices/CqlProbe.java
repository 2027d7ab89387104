package io.virta.actors.devservices;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks whether a CQL server answers on a loopback port: a TCP connect first, because it is cheap
 * and quiet, then a real CQL session that reads {@code release_version} from {@code system.local}.
 * Cassandra opens its native port only once it serves queries, but the query is what proves it.
 */
final class CqlProbe {

    /** Where the embedded node listens; Cassandra binds no other interface in our yaml. */
    static final String HOST = "127.0.0.1";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final int port;

    CqlProbe(int port) {
        this.port = port;
    }

    /** True if something accepts TCP connections on the port, whatever it speaks. */
    boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The server's Cassandra release if a CQL session can be opened and queried, empty otherwise
     * (nothing listening, not CQL, or not ready yet).
     */
    Optional<String> releaseVersion() {
        if (!acceptsConnections()) {
            return Optional.empty();
        }
        try (CqlSession session =
                CqlSession.builder()
                        .withConfigLoader(DriverConfigLoader.fromMap(options()))
                        .build()) {
            Row row = session.execute("SELECT release_version FROM system.local").one();
            return Optional.ofNullable(row).map(r -> r.getString("release_version"));
        } catch (RuntimeException e) {
            // Driver exceptions (all nodes failed, timeouts, protocol errors) mean "not CQL yet".
            return Optional.empty();
        }
    }

    /**
     * Driver options built from the driver's defaults only, so an application.conf on the classpath
     * (contact points, local datacenter, profiles) cannot redirect the probe. The DC-inferring
     * policy accepts whatever datacenter a reused node is in.
     */
    private OptionsMap options() {
        OptionsMap options = OptionsMap.driverDefaults();
        options.put(TypedDriverOption.SESSION_NAME, "virta-cassandra-probe");
        options.put(TypedDriverOption.CONTACT_POINTS, List.of(HOST + ":" + port));
        options.put(
                TypedDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy");
        options.put(TypedDriverOption.CONNECTION_CONNECT_TIMEOUT, TIMEOUT);
        options.put(TypedDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, TIMEOUT);
        options.put(TypedDriverOption.CONTROL_CONNECTION_TIMEOUT, TIMEOUT);
        options.put(TypedDriverOption.REQUEST_TIMEOUT, TIMEOUT);
        // One query needs no schema or token metadata; skipping them keeps the probe light.
        options.put(TypedDriverOption.METADATA_SCHEMA_ENABLED, false);
        options.put(TypedDriverOption.METADATA_TOKEN_MAP_ENABLED, false);
        options.put(TypedDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1);
        // The probe's session is closed right away; netty's default quiet period would add 2 s to
        // every probe, delaying readiness and reuse.
        options.put(TypedDriverOption.NETTY_IO_SIZE, 1);
        options.put(TypedDriverOption.NETTY_ADMIN_SIZE, 1);
        options.put(TypedDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0);
        options.put(TypedDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
        return options;
    }
}
