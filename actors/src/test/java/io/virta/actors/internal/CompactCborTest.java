package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.virta.actors.api.VirtaSystems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Virta node's CBOR writes repeated strings once per value, and still reads what a system without
 * string references wrote (journals written before).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactCborTest {
    private static final Config CONFIG =
            ConfigFactory.parseString("pekko.actor.provider = local")
                    .withFallback(ConfigFactory.load());
    private final ActorSystem<Void> compact = VirtaSystems.create("compact", CONFIG);
    private final ActorSystem<Void> plain = ActorSystem.create(Behaviors.empty(), "plain", CONFIG);

    @AfterAll
    void stop() {
        compact.terminate();
        plain.terminate();
    }

    private static TopicKeyGroupEntity.Checkpointed checkpointOfKeys(int keys) {
        List<TopicKeyGroupEntity.TopicInput> inputs = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            inputs.add(
                    new TopicKeyGroupEntity.TopicInput(
                            "u" + i,
                            i,
                            1_000,
                            0,
                            PipelineRows.parse(
                                    "{\"usr\":\"u%d\",\"ts\":\"%s\"}"
                                            .formatted(i, Instant.ofEpochMilli(1_000)))));
        }
        TopicKeyGroupState empty = TopicKeyGroupState.empty();
        return TopicKeyGroupWorkTest.windowedPlan()
                .apply(TopicKeyGroupWork.from(empty), "clicks/0", inputs)
                .checkpoint(empty);
    }

    private static byte[] write(ActorSystem<?> system, Object value) {
        return SerializationExtension.get(system).serialize(value).get();
    }

    private static Object read(ActorSystem<?> system, byte[] bytes, Object like) {
        Serialization serialization = SerializationExtension.get(system);
        var serializer = serialization.findSerializerFor(like);
        return serialization
                .deserialize(
                        bytes, serializer.identifier(), Serializers.manifestFor(serializer, like))
                .get();
    }

    @Test
    void aCheckpointIsWrittenMoreThanTwiceSmallerAndReadsBack() {
        TopicKeyGroupEntity.Checkpointed checkpoint = checkpointOfKeys(200);

        byte[] compactBytes = write(compact, checkpoint);
        byte[] plainBytes = write(plain, checkpoint);

        assertThat(compactBytes.length * 2).isLessThan(plainBytes.length);
        assertThat(read(compact, compactBytes, checkpoint)).isEqualTo(checkpoint);
    }

    @Test
    void whatASystemWithoutReferencesWroteStillReadsBack() {
        TopicKeyGroupEntity.Checkpointed checkpoint = checkpointOfKeys(20);

        assertThat(read(compact, write(plain, checkpoint), checkpoint)).isEqualTo(checkpoint);
    }
}
