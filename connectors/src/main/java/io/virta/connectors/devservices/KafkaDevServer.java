package io.virta.connectors.devservices;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker of the {@code virta.dev.kafka} configuration until the JVM is
 * stopped (Ctrl-C), for trying connectors by hand before the gateway starts Kafka itself. A broker
 * already answering on the port is reused and left running.
 *
 * <pre>
 * ./mvnw -q install -pl connectors -am -DskipTests
 * ./mvnw -q -pl connectors exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.virta.connectors.devservices.KafkaDevServer
 * </pre>
 */
public final class KafkaDevServer {

    private KafkaDevServer() {}

    /**
     * Starts the broker, prints its bootstrap servers and blocks; the JVM's shutdown stops it.
     *
     * @param args ignored; settings come from the configuration ({@code
     *     -Dvirta.dev.kafka.port=...})
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka =
                EmbeddedKafka.start(EmbeddedKafkaSettings.fromConfig(ConfigFactory.load()))
                        .stopOnJvmExit();
        System.out.println("Kafka ready: bootstrap.servers=" + kafka.bootstrapServers());
        new CountDownLatch(1).await();
    }
}
