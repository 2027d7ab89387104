package io.virta.actors.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.virta.actors.internal.PipelineRows.Output;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: what a {@link TopicKeyGroupEntity} has journaled: its last checkpoint and the
 * outputs not yet stored in the output stream. Immutable; {@link #apply} is pure.
 *
 * @param offsets per topic partition, the last offset applied
 * @param states per key, its operator state (empty states are not kept); the type annotation
 *     applies to the map's values
 * @param outputs how many outputs were made so far
 * @param outbox outputs not yet stored in the output stream, in order
 * @param watermark the watermark this group has acted on, or {@code Long.MIN_VALUE}
 */
public record TopicKeyGroupState(
        Map<String, Long> offsets,
        @JsonTypeInfo(
                        use = JsonTypeInfo.Id.CLASS,
                        include = JsonTypeInfo.As.PROPERTY,
                        property = "@state")
                Map<String, Object> states,
        long outputs,
        List<Output> outbox,
        long watermark)
        implements CborSerializable {
    public TopicKeyGroupState {
        offsets = Map.copyOf(offsets);
        states = Map.copyOf(states);
        outbox = List.copyOf(outbox);
    }

    static TopicKeyGroupState empty() {
        return new TopicKeyGroupState(Map.of(), Map.of(), 0, List.of(), Long.MIN_VALUE);
    }

    TopicKeyGroupState apply(TopicKeyGroupEntity.Event event) {
        if (event instanceof TopicKeyGroupEntity.Checkpointed c) {
            Map<String, Object> next = new HashMap<>(states);
            c.removed().forEach(next::remove);
            next.putAll(c.states());
            return new TopicKeyGroupState(
                    c.offsets(),
                    next,
                    outputs + c.outputs().size(),
                    OutboxDelivery.appended(outbox, c.outputs()),
                    Math.max(watermark, c.watermark()));
        }
        long upTo = ((TopicKeyGroupEntity.Delivered) event).upTo();
        return new TopicKeyGroupState(
                offsets, states, outputs, OutboxDelivery.after(outbox, upTo), watermark);
    }
}
