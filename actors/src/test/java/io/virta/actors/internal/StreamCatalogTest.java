package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stream catalog alone, on the in-memory journal, with serialization of every message verified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamCatalogTest {
    private static final Config CONFIG =
            ConfigFactory.parseString("pekko.actor.provider = local")
                    .withFallback(EventSourcedBehaviorTestKit.config())
                    .withFallback(PersistenceTestKitSnapshotPlugin.config())
                    .withFallback(ConfigFactory.load());

    private final ActorTestKit testKit = ActorTestKit.create("StreamCatalogTest", CONFIG);
    private EventSourcedBehaviorTestKit<
                    StreamCatalog.Command, StreamCatalog.CatalogEvent, CatalogState>
            catalog;

    @BeforeEach
    void freshCatalog() {
        catalog =
                EventSourcedBehaviorTestKit.create(
                        testKit.system(),
                        StreamCatalog.create(
                                "streams",
                                SupervisorStrategy.restartWithBackoff(
                                        Duration.ofMillis(100), Duration.ofSeconds(1), 0.1)),
                        EventSourcedBehaviorTestKit.enabledSerializationSettings());
        catalog.clear();
    }

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private static StreamCatalog.Defined orders(String keyField) {
        return new StreamCatalog.Defined("orders", keyField, "/ts", null, 1L, null);
    }

    private StreamCatalog.DefineReply define(StreamCatalog.Defined definition) {
        return catalog.<StreamCatalog.DefineReply>runCommand(
                        replyTo -> new StreamCatalog.Define(definition, replyTo))
                .reply();
    }

    @Test
    void definesOnceThenReportsExistsOrConflictWithoutChange() {
        assertThat(define(orders("/customer"))).isInstanceOf(StreamCatalog.Created.class);

        var again =
                catalog.<StreamCatalog.DefineReply>runCommand(
                        replyTo ->
                                new StreamCatalog.Define(
                                        new StreamCatalog.Defined(
                                                "orders", "/customer", "/ts", null, 2L, null),
                                        replyTo));
        assertThat(again.reply()).isInstanceOf(StreamCatalog.Exists.class);
        assertThat(again.hasNoEvents()).isTrue();

        var conflict =
                catalog.<StreamCatalog.DefineReply>runCommand(
                        replyTo -> new StreamCatalog.Define(orders("/other"), replyTo));
        assertThat(conflict.reply()).isEqualTo(new StreamCatalog.Conflict(orders("/customer")));
        assertThat(conflict.hasNoEvents()).isTrue();
    }

    @Test
    void definitionsSurviveRestartAndListInNameOrder() {
        define(new StreamCatalog.Defined("zebra", "/k", null, null, 1L, null));
        define(orders("/customer"));

        catalog.restart();

        var listing = catalog.<StreamCatalog.Listing>runCommand(StreamCatalog.ListAll::new).reply();
        assertThat(listing.definitions())
                .extracting(StreamCatalog.Defined::name)
                .containsExactly("orders", "zebra");
        var found =
                catalog.<StreamCatalog.Found>runCommand(
                                replyTo -> new StreamCatalog.Get("orders", replyTo))
                        .reply();
        assertThat(found.asOptional()).contains(orders("/customer"));
        var missing =
                catalog.<StreamCatalog.Found>runCommand(
                                replyTo -> new StreamCatalog.Get("nope", replyTo))
                        .reply();
        assertThat(missing.asOptional()).isEmpty();
    }
}
