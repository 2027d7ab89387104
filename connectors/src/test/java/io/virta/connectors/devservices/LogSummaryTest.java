package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSummaryTest {

    @TempDir Path dir;

    @Test
    void keepsTheCauseThatAConfigurationDumpWouldPushOutOfTheTail() throws IOException {
        StringBuilder log = new StringBuilder();
        log.append("[t] INFO starting (kafka.Kafka)\n");
        log.append("[t] ERROR Unable to start acceptor for CONTROLLER (kafka.network)\n");
        log.append("org.apache.kafka.common.KafkaException: failed to bind to 127.0.0.1:19103\n");
        log.append("\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:1)\n");
        log.append("Caused by: java.net.BindException: Address already in use\n");
        log.append("[t] INFO AbstractConfig values: \n");
        for (int i = 0; i < 100; i++) {
            log.append("\tsome.key.").append(i).append(" = ").append(i).append('\n');
        }
        log.append(" (org.apache.kafka.common.config.AbstractConfig)\n");
        log.append("[t] INFO shut down completely (kafka.Kafka)\n");
        Path file = Files.writeString(dir.resolve("server.log"), log);

        LogSummary summary = LogSummary.of(file);

        assertThat(summary.errors())
                .contains("ERROR Unable to start acceptor")
                .contains("failed to bind to 127.0.0.1:19103")
                .contains("Caused by: java.net.BindException")
                .doesNotContain("\tat kafka.network");
        assertThat(summary.lastLines())
                .contains("AbstractConfig values:")
                .contains("shut down completely")
                .doesNotContain("some.key.");
    }

    @Test
    void aMissingFileIsNotedRatherThanThrown() {
        LogSummary summary = LogSummary.of(dir.resolve("absent.log"));

        assertThat(summary.lastLines()).isEqualTo("(no such file)\n");
        assertThat(summary.errors()).isEqualTo("(no such file)\n");
    }
}
