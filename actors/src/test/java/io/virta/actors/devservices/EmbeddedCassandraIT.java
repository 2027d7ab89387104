package io.virta.actors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starts a real Cassandra 5.0 through {@link EmbeddedCassandra}, uses it with the driver, reuses it
 * from a second handle and stops it. Ports 19142/19100 stay clear of the shared test instance on
 * 19042/19000.
 */
class EmbeddedCassandraIT {

    private static final int CQL_PORT = 19142;
    private static final int STORAGE_PORT = 19100;
    private static final Path DATA_DIR = Path.of("target", "embedded-cassandra-it");

    @BeforeEach
    void cleanDataDirectory() throws IOException {
        assertThat(accepts(CQL_PORT))
                .as("port %d must be free, or the test would reuse a foreign server", CQL_PORT)
                .isFalse();
        if (Files.exists(DATA_DIR)) {
            try (Stream<Path> paths = Files.walk(DATA_DIR)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void startsServesCqlIsReusedAndStops() {
        EmbeddedCassandraSettings settings =
                EmbeddedCassandraSettings.create(CQL_PORT, STORAGE_PORT, DATA_DIR)
                        .withHeapSizeMiB(512)
                        .withStartTimeout(Duration.ofMinutes(3));

        try (EmbeddedCassandra cassandra = EmbeddedCassandra.start(settings)) {
            assertThat(cassandra.ownsProcess()).isTrue();
            assertThat(cassandra.contactPoint()).isEqualTo("127.0.0.1:" + CQL_PORT);
            assertThat(cassandra.dataDirectory()).isEqualTo(DATA_DIR.toAbsolutePath());
            assertThat(DATA_DIR.resolve("logs").resolve("system.log")).isNotEmptyFile();

            assertThat(writeAndReadRow(cassandra)).isEqualTo("hello");

            EmbeddedCassandra second = EmbeddedCassandra.start(settings);
            assertThat(second.ownsProcess()).isFalse();
            second.stop();
            assertThat(accepts(CQL_PORT)).as("a reusing handle must not stop the server").isTrue();

            cassandra.stop();
            assertThat(accepts(CQL_PORT)).as("port closed after stop()").isFalse();
            cassandra.stop(); // idempotent
        }
    }

    @Test
    void failsFastWithTheLogTailWhenCassandraExits() throws IOException {
        EmbeddedCassandraSettings settings =
                EmbeddedCassandraSettings.create(CQL_PORT, STORAGE_PORT, DATA_DIR)
                        .withStartTimeout(Duration.ofMinutes(3));

        // Holding the storage port makes Cassandra exit during startup.
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", STORAGE_PORT));
            long startNanos = System.nanoTime();

            assertThatThrownBy(() -> EmbeddedCassandra.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining("system.log");
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
                    .as("noticed the exit, did not wait for the start timeout")
                    .isLessThan(settings.startTimeout());
        }
        assertThat(accepts(CQL_PORT)).isFalse();
    }

    private static String writeAndReadRow(EmbeddedCassandra cassandra) {
        try (CqlSession session = session(cassandra)) {
            session.execute(
                    "CREATE KEYSPACE IF NOT EXISTS it_ks WITH replication ="
                            + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute(
                    "CREATE TABLE IF NOT EXISTS it_ks.greetings (id int PRIMARY KEY, text text)");
            session.execute("INSERT INTO it_ks.greetings (id, text) VALUES (1, 'hello')");
            Row row = session.execute("SELECT text FROM it_ks.greetings WHERE id = 1").one();
            assertThat(row).isNotNull();
            return row.getString("text");
        }
    }

    private static CqlSession session(EmbeddedCassandra cassandra) {
        // Schema changes wait for agreement; the driver's 2 s default is tight on a busy machine.
        DriverConfigLoader config =
                DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build();
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", cassandra.cqlPort()))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(config)
                .build();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
