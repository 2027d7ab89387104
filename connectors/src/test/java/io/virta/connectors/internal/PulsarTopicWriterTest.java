package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virta.actors.api.ConnectorSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A writer whose producer cannot be created closes the client it built: the client's threads are
 * not daemons, and left behind they kept a stopped node's JVM from exiting. No Pulsar runs here on
 * purpose: the test needs a service URL where nothing listens.
 */
class PulsarTopicWriterTest {

    @Test
    void aFailedStartLeavesNoClientThreadsBehind() throws IOException {
        long before = pulsarClientThreads();
        ConnectorSpec spec =
                ConnectorSpec.parse(
                        "to_nowhere",
                        "SINK",
                        Map.of(
                                "type", "pulsar",
                                "servers", "pulsar://127.0.0.1:" + closedPort(),
                                "topic", "t",
                                "stream", "s",
                                "operationTimeoutMs", "1000",
                                "connectionTimeoutMs", "500"));

        assertThatThrownBy(() -> new PulsarTopicWriter(spec))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not connect to Pulsar at pulsar://127.0.0.1:");

        await("the client's threads end")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(pulsarClientThreads()).isLessThanOrEqualTo(before));
    }

    private static long pulsarClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("pulsar-client-"))
                .count();
    }

    /** A port nothing listens on: one the OS just handed out and that was closed again. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
