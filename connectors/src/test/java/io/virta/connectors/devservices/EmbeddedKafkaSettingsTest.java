package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaSettingsTest {

    @Test
    void readsTheReferenceConfiguration() {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.fromConfig(ConfigFactory.load());

        assertThat(settings.port()).isEqualTo(9092);
        assertThat(settings.controllerPort()).isEqualTo(9093);
        assertThat(settings.dataDirectory())
                .isEqualTo(Path.of("target/virta-dev-kafka").toAbsolutePath());
        assertThat(settings.heapSizeMiB()).isEqualTo(512);
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void copiesChangeOneComponent() {
        EmbeddedKafkaSettings settings =
                EmbeddedKafkaSettings.create(19092, 19093, Path.of("k")).withHeapSizeMiB(256);

        assertThat(settings.withPort(29092).port()).isEqualTo(29092);
        assertThat(settings.withPort(29092).heapSizeMiB()).isEqualTo(256);
        assertThat(settings.withStartTimeout(Duration.ofSeconds(5)).startTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesEqualPortsSmallHeapsAndNonPositiveTimeouts() {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.create(19092, 19093, Path.of("k"));

        assertThatThrownBy(() -> settings.withControllerPort(19092))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> settings.withPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withHeapSizeMiB(64))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withStopTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
