package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.virta.actors.internal.PipelineRows.Output;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: what a {@link TopicKeyEntity} has journaled: its last checkpoint and the outputs
 * not yet stored in the output stream. Immutable; {@link #apply} is pure.
 *
 * @param offsets per topic partition, the last offset applied
 * @param operatorState the keyed operator's state, or null without one
 * @param outputs how many outputs were made so far
 * @param outbox outputs not yet stored in the output stream, in order
 * @param watermark the watermark this key has acted on, or {@code Long.MIN_VALUE}
 */
public record TopicKeyState(
        Map<String, Long> offsets,
        @JsonTypeInfo(
                        use = JsonTypeInfo.Id.CLASS,
                        include = JsonTypeInfo.As.PROPERTY,
                        property = "@state")
                Object operatorState,
        long outputs,
        List<Output> outbox,
        long watermark)
        implements CborSerializable {
    public TopicKeyState {
        offsets = Map.copyOf(offsets);
        outbox = List.copyOf(outbox);
    }

    static TopicKeyState empty() {
        return new TopicKeyState(Map.of(), null, 0, List.of(), Long.MIN_VALUE);
    }

    TopicKeyState apply(TopicKeyEntity.Event event) {
        if (event instanceof TopicKeyEntity.Checkpointed c) {
            return new TopicKeyState(
                    c.offsets(),
                    c.operatorState(),
                    outputs + c.outputs().size(),
                    OutboxDelivery.appended(outbox, c.outputs()),
                    Math.max(watermark, c.watermark()));
        }
        long upTo = ((TopicKeyEntity.Delivered) event).upTo();
        return new TopicKeyState(
                offsets, operatorState, outputs, OutboxDelivery.after(outbox, upTo), watermark);
    }
}
