package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The key entity alone, on the in-memory journal, with serialization of every message verified. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyEntityTest {
    private static final Config CONFIG =
            ConfigFactory.parseString("pekko.actor.provider = local")
                    .withFallback(EventSourcedBehaviorTestKit.config())
                    .withFallback(PersistenceTestKitSnapshotPlugin.config())
                    .withFallback(ConfigFactory.load());

    private final ActorTestKit testKit = ActorTestKit.create("KeyEntityTest", CONFIG);
    private EventSourcedBehaviorTestKit<KeyEntity.Command, KeyEntity.Event, KeyEntity.State> entity;

    private static KeyEntitySettings settings(int rememberedIds, int snapshotEvery) {
        return new KeyEntitySettings(
                snapshotEvery,
                2,
                rememberedIds,
                Duration.ofMinutes(2),
                100,
                40_000,
                SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(100), Duration.ofSeconds(1), 0.1));
    }

    @BeforeEach
    void freshEntity() {
        entity = entityWith(settings(1000, 1000));
    }

    private EventSourcedBehaviorTestKit<KeyEntity.Command, KeyEntity.Event, KeyEntity.State>
            entityWith(KeyEntitySettings settings) {
        var kit =
                EventSourcedBehaviorTestKit
                        .<KeyEntity.Command, KeyEntity.Event, KeyEntity.State>create(
                                testKit.system(),
                                KeyEntity.create("orders/alice", settings),
                                EventSourcedBehaviorTestKit.enabledSerializationSettings());
        kit.clear();
        return kit;
    }

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private static KeyEntity.NewEvent event(String id, long time) {
        return new KeyEntity.NewEvent(id, time, time + 5, "{\"id\":\"" + id + "\"}");
    }

    private KeyEntity.Ack append(KeyEntity.NewEvent... events) {
        return entity.<KeyEntity.AppendReply>runCommand(
                        replyTo -> new KeyEntity.Append(List.of(events), Long.MAX_VALUE, replyTo))
                .replyOfType(KeyEntity.Ack.class);
    }

    @Test
    void numbersEventsInOrderAndRepliesAfterPersisting() {
        var result =
                entity.<KeyEntity.AppendReply>runCommand(
                        replyTo ->
                                new KeyEntity.Append(
                                        List.of(event("a", 1), event("b", 2), event("c", 3)),
                                        Long.MAX_VALUE,
                                        replyTo));

        assertThat(result.replyOfType(KeyEntity.Ack.class).events())
                .containsExactly(
                        new KeyEntity.EventAck(1, false),
                        new KeyEntity.EventAck(2, false),
                        new KeyEntity.EventAck(3, false));
        assertThat(result.events())
                .extracting(e -> ((KeyEntity.Appended) e).id())
                .containsExactly("a", "b", "c");
        assertThat(result.state().lastSeq()).isEqualTo(3);
        assertThat(append(event("d", 4)).events())
                .containsExactly(new KeyEntity.EventAck(4, false));
    }

    @Test
    void aRepeatedIdIsAcknowledgedAsDuplicateWithItsFirstSequenceNumber() {
        append(event("a", 1), event("b", 2));

        var result =
                entity.<KeyEntity.AppendReply>runCommand(
                        replyTo ->
                                new KeyEntity.Append(
                                        List.of(event("b", 9), event("c", 3), event("c", 4)),
                                        Long.MAX_VALUE,
                                        replyTo));

        assertThat(result.replyOfType(KeyEntity.Ack.class).events())
                .containsExactly(
                        new KeyEntity.EventAck(2, true),
                        new KeyEntity.EventAck(3, false),
                        new KeyEntity.EventAck(3, true));
        assertThat(result.events()).hasSize(1);
    }

    @Test
    void aBatchOfOnlyDuplicatesPersistsNothing() {
        append(event("a", 1));

        var result =
                entity.<KeyEntity.AppendReply>runCommand(
                        replyTo ->
                                new KeyEntity.Append(
                                        List.of(event("a", 1)), Long.MAX_VALUE, replyTo));

        assertThat(result.hasNoEvents()).isTrue();
        assertThat(result.replyOfType(KeyEntity.Ack.class).events())
                .containsExactly(new KeyEntity.EventAck(1, true));
    }

    @Test
    void anAppendPastItsDeadlineStoresNothing() {
        var result =
                entity.<KeyEntity.AppendReply>runCommand(
                        replyTo -> new KeyEntity.Append(List.of(event("late", 1)), 1L, replyTo));

        assertThat(result.reply()).isEqualTo(new KeyEntity.TooLate(1L));
        assertThat(result.hasNoEvents()).isTrue();
        assertThat(entity.getState().lastSeq()).isZero();
    }

    @Test
    void remembersOnlyTheConfiguredNumberOfIds() {
        entity = entityWith(settings(2, 1000));
        append(event("a", 1), event("b", 2), event("c", 3));

        assertThat(entity.getState().recentIds().size()).isEqualTo(2);
        // "a" fell out of the window: stored again, as documented.
        assertThat(append(event("a", 4)).events())
                .containsExactly(new KeyEntity.EventAck(4, false));
        assertThat(append(event("c", 5)).events()).containsExactly(new KeyEntity.EventAck(3, true));
    }

    @Test
    void recoversSequenceAndIdsFromSnapshotAndEvents() {
        entity = entityWith(settings(1000, 2));
        append(event("a", 1), event("b", 2), event("c", 3));

        var restarted = entity.restart();

        assertThat(restarted.state().lastSeq()).isEqualTo(3);
        assertThat(restarted.state().recentIds().seqOf("b")).isEqualTo(2L);
        assertThat(append(event("b", 2), event("d", 4)).events())
                .containsExactly(new KeyEntity.EventAck(2, true), new KeyEntity.EventAck(4, false));
    }
}
