package io.virta.connectors.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virta.connectors.SharedKafka;
import io.virta.connectors.SharedPulsar;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded Pulsar against the shaded pulsar-client 4.0.7 that the connectors use: produce and
 * consume with Failover and Key_Shared subscriptions, unacknowledged messages kept across a
 * restart, reuse of a running Pulsar, a web port taken by something else, and a loud start failure.
 */
@ExtendWith(SharedPulsar.class)
class EmbeddedPulsarIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    /** How long a consumer must stay silent to show that nothing beyond the expected arrived. */
    private static final int QUIET_MILLIS = 500;

    /** Ports of the Pulsar this class starts itself, away from the shared one's. */
    private static final int OWN_PORT_OFFSET = 10;

    @Test
    void producedMessagesAreConsumedBackWithAFailoverSubscription() throws Exception {
        String topic = topic("failover");
        List<String> sent = values("f", 100);
        try (PulsarClient client = client(SharedPulsar.serviceUrl());
                Consumer<String> consumer =
                        client.newConsumer(Schema.STRING)
                                .topic(topic)
                                .subscriptionName("it")
                                .subscriptionType(SubscriptionType.Failover)
                                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                                .subscribe()) {
            produce(client, topic, sent, false);

            assertThat(receiveAndAcknowledge(consumer, sent.size()))
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(consumer.receive(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void keySharedConsumersSplitTheKeysAndTogetherReceiveEveryMessage() throws Exception {
        String topic = topic("key-shared");
        List<String> sent = values("k", 200);
        try (PulsarClient client = client(SharedPulsar.serviceUrl());
                Consumer<String> first = keyShared(client, topic, "first");
                Consumer<String> second = keyShared(client, topic, "second")) {
            produce(client, topic, sent, true);

            Map<String, Set<String>> keysByConsumer = new HashMap<>();
            List<String> received = new ArrayList<>();
            await().atMost(CLIENT_TIMEOUT)
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(
                            () -> {
                                receiveInto(first, received, keysByConsumer);
                                receiveInto(second, received, keysByConsumer);
                                return received.size() >= sent.size();
                            });
            assertThat(first.receive(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isNull();
            assertThat(second.receive(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isNull();

            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
            Set<String> firstKeys = keysByConsumer.getOrDefault("first", Set.of());
            Set<String> secondKeys = keysByConsumer.getOrDefault("second", Set.of());
            // 20 keys over two hash ranges: both get some, and no key goes to both.
            assertThat(firstKeys).isNotEmpty().doesNotContainAnyElementsOf(secondKeys);
            assertThat(secondKeys).isNotEmpty();
        }
    }

    @Test
    void aRestartedPulsarStillHoldsTheUnacknowledgedMessages() throws Exception {
        EmbeddedPulsarSettings settings = ownPulsar("pulsar-restart");
        String topic = "persistent://public/default/durable";
        List<String> sent = values("d", 30);
        try (EmbeddedPulsar first = EmbeddedPulsar.start(settings);
                PulsarClient client = client(first.serviceUrl())) {
            assertThat(first.ownsProcess()).isTrue();
            try (Consumer<String> consumer = exclusive(client, topic)) {
                produce(client, topic, sent, false);
                assertThat(receiveAndAcknowledge(consumer, 10)).isEqualTo(sent.subList(0, 10));
            }
        }
        assertThat(PulsarProbe.acceptsConnections(settings.port())).isFalse();
        assertThat(PulsarProbe.acceptsConnections(settings.webPort())).isFalse();

        try (EmbeddedPulsar second = EmbeddedPulsar.start(settings);
                PulsarClient client = client(second.serviceUrl());
                Consumer<String> consumer = exclusive(client, topic)) {
            assertThat(second.ownsProcess()).isTrue();
            assertThat(receiveAndAcknowledge(consumer, 20)).isEqualTo(sent.subList(10, 30));
            assertThat(consumer.receive(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aPulsarAnsweringOnTheWebPortIsReusedAndLeftRunning() {
        EmbeddedPulsar reused = EmbeddedPulsar.start(SharedPulsar.settings());

        assertThat(reused.ownsProcess()).isFalse();
        assertThat(reused.serviceUrl()).isEqualTo(SharedPulsar.serviceUrl());
        reused.stop();
        assertThat(
                        new PulsarProbe(SharedPulsar.settings().webPort())
                                .publicNamespaces(Duration.ofSeconds(5)))
                .hasValueSatisfying(body -> assertThat(body).contains("public/default"));
    }

    @Test
    void aWebPortTakenBySomethingElseIsRefused() throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmbeddedPulsarSettings settings =
                    ownPulsar("pulsar-squatted").withWebPort(squatter.getLocalPort());

            assertThatThrownBy(() -> EmbeddedPulsar.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not answer as Pulsar's admin API");
        }
    }

    @Test
    void aPulsarThatCannotStartFailsWithTheTailOfItsLog() throws IOException {
        EmbeddedPulsarSettings settings =
                ownPulsar("pulsar-failing").withStartTimeout(Duration.ofSeconds(60));
        // The bookie port is busy, so the bookie cannot bind it and Pulsar gives up.
        try (ServerSocket squatter =
                new ServerSocket(settings.bookkeeperPort(), 50, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(() -> EmbeddedPulsar.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Pulsar on " + settings.serviceUrl())
                    .hasMessageContaining("errors in")
                    .hasMessageContaining(String.valueOf(settings.bookkeeperPort()));
        }
        assertThat(PulsarProbe.acceptsConnections(settings.port())).isFalse();
        assertThat(PulsarProbe.acceptsConnections(settings.webPort())).isFalse();
    }

    /** A Pulsar of this class's own on ports next to the shared one's, from an empty directory. */
    private static EmbeddedPulsarSettings ownPulsar(String directory) {
        EmbeddedPulsarSettings shared = SharedPulsar.settings();
        EmbeddedPulsarSettings settings =
                shared.withPort(shared.port() + OWN_PORT_OFFSET)
                        .withWebPort(shared.webPort() + OWN_PORT_OFFSET)
                        .withBookkeeperPort(shared.bookkeeperPort() + OWN_PORT_OFFSET)
                        .withDataDirectory(SharedKafka.dataRoot().resolve(directory));
        SharedKafka.deleteRecursively(settings.dataDirectory());
        return settings;
    }

    private static String topic(String prefix) {
        return "persistent://public/default/" + prefix + "-" + UUID.randomUUID();
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static PulsarClient client(String serviceUrl) throws PulsarClientException {
        return PulsarClient.builder()
                .serviceUrl(serviceUrl)
                .operationTimeout(30, TimeUnit.SECONDS)
                .build();
    }

    private static Consumer<String> keyShared(PulsarClient client, String topic, String name)
            throws PulsarClientException {
        return client.newConsumer(Schema.STRING)
                .topic(topic)
                .consumerName(name)
                .subscriptionName("it")
                .subscriptionType(SubscriptionType.Key_Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .enableBatchIndexAcknowledgment(true)
                .subscribe();
    }

    /** Acknowledgements go out at once, so they reach the broker before it is stopped. */
    private static Consumer<String> exclusive(PulsarClient client, String topic)
            throws PulsarClientException {
        return client.newConsumer(Schema.STRING)
                .topic(topic)
                .subscriptionName("it")
                .subscriptionType(SubscriptionType.Exclusive)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .acknowledgmentGroupTime(0, TimeUnit.MILLISECONDS)
                .receiverQueueSize(1)
                .subscribe();
    }

    /**
     * Sends every value, key {@code "key-" + index % 20}, and waits for every send to be persisted.
     * Key_Shared needs batches by key, or a batch would carry keys of both consumers.
     */
    private static void produce(
            PulsarClient client, String topic, List<String> values, boolean keyBased)
            throws Exception {
        try (Producer<String> producer =
                client.newProducer(Schema.STRING)
                        .topic(topic)
                        .enableBatching(keyBased)
                        .batcherBuilder(
                                keyBased ? BatcherBuilder.KEY_BASED : BatcherBuilder.DEFAULT)
                        .create()) {
            List<CompletableFuture<MessageId>> sends = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                sends.add(
                        producer.newMessage()
                                .key("key-" + i % 20)
                                .value(values.get(i))
                                .sendAsync());
            }
            producer.flush();
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Receives and acknowledges one at a time until {@code expected} messages arrived; returns them
     * in arrival order. Whether more may follow is for the caller to check.
     */
    private static List<String> receiveAndAcknowledge(Consumer<String> consumer, int expected)
            throws PulsarClientException {
        List<String> received = new ArrayList<>();
        await().atMost(CLIENT_TIMEOUT)
                .pollInSameThread()
                .pollInterval(Duration.ZERO)
                .until(
                        () -> {
                            Message<String> message = consumer.receive(200, TimeUnit.MILLISECONDS);
                            if (message != null) {
                                received.add(message.getValue());
                                consumer.acknowledge(message);
                            }
                            return received.size() >= expected;
                        });
        return received;
    }

    /**
     * Takes at most one message from the consumer. The wait is short because the caller polls two
     * consumers in turn, and one that got all its keys' messages would otherwise slow down the
     * other.
     */
    private static void receiveInto(
            Consumer<String> consumer, List<String> received, Map<String, Set<String>> keys)
            throws PulsarClientException {
        Message<String> message = consumer.receive(10, TimeUnit.MILLISECONDS);
        if (message != null) {
            received.add(message.getValue());
            keys.computeIfAbsent(consumer.getConsumerName(), name -> new HashSet<>())
                    .add(message.getKey());
            consumer.acknowledge(message);
        }
    }
}
