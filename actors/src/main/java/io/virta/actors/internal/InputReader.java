package io.virta.actors.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API: reads a key's stored events by sequence number, for the pipelines that consume
 * them.
 */
@FunctionalInterface
public interface InputReader {
    /**
     * At most {@code max} events of {@code key} in {@code stream}, from sequence number {@code
     * fromSeq} on, in order.
     */
    CompletionStage<List<PipelineRows.Input>> read(
            String stream, String key, long fromSeq, int max);
}
