package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLayoutTest {

    @TempDir Path dir;

    @Test
    void writesACombinedModeConfigurationOnLoopbackWithTheConfiguredPorts() throws IOException {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.create(19492, 19493, dir);

        KafkaLayout layout = KafkaLayout.prepare(settings);

        Properties server = new Properties();
        try (Reader reader = Files.newBufferedReader(layout.serverProperties())) {
            server.load(reader);
        }
        assertThat(server.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(server.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19492,CONTROLLER://127.0.0.1:19493");
        assertThat(server.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19493");
        assertThat(server.getProperty("log.dirs")).isEqualTo(dir.resolve("kraft").toString());
        assertThat(server.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(server.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        assertThat(layout.formatted()).isFalse();
    }

    @Test
    void theBrokerRunsFromTheRecordedClasspathWithTheConfiguredHeap() {
        EmbeddedKafkaSettings settings =
                EmbeddedKafkaSettings.create(19492, 19493, dir).withHeapSizeMiB(256);
        KafkaLayout layout = KafkaLayout.prepare(settings);

        List<String> command = KafkaCommand.broker(settings, layout);

        assertThat(command).contains("-Xmx256m", "-Dkafka.logs.dir=" + layout.logsDirectory());
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("kafka.Kafka", layout.serverProperties().toString());
        // The broker's own kafka-clients 4.x, never the 3.9.x on this JVM's classpath.
        assertThat(KafkaCommand.serverClasspath())
                .anyMatch(jar -> jar.matches(".*/kafka-clients-4\\.[0-9.]+\\.jar"))
                .noneMatch(jar -> jar.contains("kafka-clients-3."));
    }
}
