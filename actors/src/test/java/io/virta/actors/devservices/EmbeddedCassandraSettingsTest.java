package io.virta.actors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedCassandraSettingsTest {

    private static final Path DIR = Path.of("target", "cassandra");

    @Test
    void referenceConfHasEveryKey() {
        EmbeddedCassandraSettings settings =
                EmbeddedCassandraSettings.fromConfig(ConfigFactory.defaultReference());

        assertThat(settings.cqlPort()).isEqualTo(9042);
        assertThat(settings.storagePort()).isEqualTo(7000);
        assertThat(settings.heapSizeMiB()).isEqualTo(512);
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.dataDirectory()).isAbsolute();
        assertThat(settings.processLog())
                .isEqualTo(settings.dataDirectory().resolve("logs/cassandra-stdout.log"));
    }

    @Test
    void configOverridesApply() {
        EmbeddedCassandraSettings settings =
                EmbeddedCassandraSettings.fromConfig(
                        ConfigFactory.parseString(
                                        "virta.dev.cassandra { cql-port = 19142, heap-size = 1G,"
                                                + " process-log = \"/tmp/c.log\" }")
                                .withFallback(ConfigFactory.defaultReference()));

        assertThat(settings.cqlPort()).isEqualTo(19142);
        assertThat(settings.heapSizeMiB()).isEqualTo(1024);
        assertThat(settings.processLog()).isEqualTo(Path.of("/tmp/c.log"));
    }

    @Test
    void withCopiesLeaveTheOriginalAlone() {
        EmbeddedCassandraSettings base = EmbeddedCassandraSettings.create(9042, 7000, DIR);
        EmbeddedCassandraSettings copy = base.withCqlPort(19042).withHeapSizeMiB(256);

        assertThat(base.cqlPort()).isEqualTo(9042);
        assertThat(copy.cqlPort()).isEqualTo(19042);
        assertThat(copy.heapSizeMiB()).isEqualTo(256);
        assertThat(copy.withCqlPort(9042).withHeapSizeMiB(512)).isEqualTo(base);
    }

    @Test
    void defaultProcessLogFollowsTheDataDirectory() {
        EmbeddedCassandraSettings moved =
                EmbeddedCassandraSettings.create(9042, 7000, DIR)
                        .withDataDirectory(Path.of("/tmp/x"));

        assertThat(moved.processLog()).isEqualTo(Path.of("/tmp/x/logs/cassandra-stdout.log"));
    }

    @Test
    void rejectsInvalidValues() {
        EmbeddedCassandraSettings base = EmbeddedCassandraSettings.create(9042, 7000, DIR);

        assertThatThrownBy(() -> base.withCqlPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withStoragePort(9042))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withHeapSizeMiB(64))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withStartTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withDataDirectory(null))
                .isInstanceOf(NullPointerException.class);
    }
}
