package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A key group's checkpoint and snapshot travel through the configured serializer (Jackson CBOR)
 * with each key's operator state keeping its type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicKeyGroupSerializationTest {
    private final ActorTestKit testKit =
            ActorTestKit.create(
                    "TopicKeyGroupSerializationTest",
                    ConfigFactory.parseString("pekko.actor.provider = local")
                            .withFallback(ConfigFactory.load()));

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private Object roundTrip(Object value) {
        var serialization = SerializationExtension.get(testKit.system());
        byte[] bytes = serialization.serialize(value).get();
        var serializer = serialization.findSerializerFor(value);
        return serialization
                .deserialize(
                        bytes, serializer.identifier(), Serializers.manifestFor(serializer, value))
                .get();
    }

    @Test
    void checkpointsAndStatesKeepEachKeysOperatorState() {
        TopicKeyGroupWork.Plan plan = TopicKeyGroupWorkTest.windowedPlan();
        TopicKeyGroupState state = TopicKeyGroupState.empty();
        TopicKeyGroupWork w =
                plan.apply(
                        TopicKeyGroupWork.from(state),
                        "clicks/0",
                        List.of(
                                new TopicKeyGroupEntity.TopicInput(
                                        "a",
                                        0,
                                        1_000,
                                        0,
                                        PipelineRows.parse(
                                                "{\"usr\":\"a\",\"ts\":\"%s\"}"
                                                        .formatted(Instant.ofEpochMilli(1_000))))));
        TopicKeyGroupEntity.Checkpointed c = w.checkpoint(state);

        Object back = roundTrip(c);
        assertThat(back).isEqualTo(c);
        TopicKeyGroupState next = state.apply((TopicKeyGroupEntity.Checkpointed) back);
        assertThat(roundTrip(next)).isEqualTo(next);
        assertThat(next.states().get("a").getClass()).isEqualTo(c.states().get("a").getClass());
    }

    @Test
    void recordsSentToAGroupOnAnotherNodeKeepTheirParsedValues() {
        TopicKeyGroupEntity.Apply apply =
                new TopicKeyGroupEntity.Apply(
                        "clicks/0",
                        TopicKeyGroupEntity.FIRST_SINCE_COMMIT,
                        List.of(
                                new TopicKeyGroupEntity.TopicInput(
                                        "a",
                                        7,
                                        1_000,
                                        2_000,
                                        PipelineRows.parse(
                                                "{\"usr\":\"a\",\"n\":1.5,\"tags\":[\"x\"]}"))));

        assertThat(roundTrip(apply)).isEqualTo(apply);
    }

    @Test
    void aPipelineJournalledBeforeItsKeyGroupsWereRecordedReadsBackWithTheLegacyNumber()
            throws Exception {
        var serialization = SerializationExtension.get(testKit.system());
        var current =
                new StreamCatalog.PipelineCreated(
                        "old", "sql", "clicks", "latest", List.of("scan"), 1, 16);
        var serializer = serialization.findSerializerFor(current);
        // The event as an earlier version wrote it: the same fields but keyGroups.
        byte[] old =
                new com.fasterxml.jackson.databind.ObjectMapper(
                                new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
                        .writeValueAsBytes(
                                java.util.Map.of(
                                        "name", "old",
                                        "sql", "sql",
                                        "source", "clicks",
                                        "start", "latest",
                                        "plan", List.of("scan"),
                                        "createdAtMillis", 1));

        var read =
                (StreamCatalog.PipelineCreated)
                        serialization
                                .deserialize(
                                        old,
                                        serializer.identifier(),
                                        Serializers.manifestFor(serializer, current))
                                .get();

        assertThat(read.name()).isEqualTo("old");
        assertThat(read.keyGroups()).isEqualTo(io.virta.actors.api.TopicFeeds.LEGACY_KEY_GROUPS);
        assertThat(((StreamCatalog.PipelineCreated) roundTrip(current)).keyGroups()).isEqualTo(16);
    }
}
