package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedPulsarSettingsTest {

    @Test
    void readsTheReferenceConfiguration() {
        EmbeddedPulsarSettings settings = EmbeddedPulsarSettings.fromConfig(ConfigFactory.load());

        assertThat(settings.port()).isEqualTo(6650);
        assertThat(settings.webPort()).isEqualTo(8081);
        assertThat(settings.bookkeeperPort()).isEqualTo(3181);
        assertThat(settings.dataDirectory())
                .isEqualTo(Path.of("target/virta-dev-pulsar").toAbsolutePath());
        assertThat(settings.heapSizeMiB()).isEqualTo(512);
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.serviceUrl()).isEqualTo("pulsar://127.0.0.1:6650");
        assertThat(settings.adminUrl()).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void copiesChangeOneComponent() {
        EmbeddedPulsarSettings settings =
                EmbeddedPulsarSettings.create(16650, 18080, 13181, Path.of("p"))
                        .withHeapSizeMiB(384);

        assertThat(settings.withWebPort(28080).webPort()).isEqualTo(28080);
        assertThat(settings.withWebPort(28080).port()).isEqualTo(16650);
        assertThat(settings.withBookkeeperPort(23181).heapSizeMiB()).isEqualTo(384);
        assertThat(settings.withStartTimeout(Duration.ofSeconds(5)).startTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesEqualPortsSmallHeapsAndNonPositiveTimeouts() {
        EmbeddedPulsarSettings settings =
                EmbeddedPulsarSettings.create(16650, 18080, 13181, Path.of("p"));

        assertThatThrownBy(() -> settings.withBookkeeperPort(18080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> settings.withWebPort(16650))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withPort(65536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withHeapSizeMiB(128))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withStartTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
