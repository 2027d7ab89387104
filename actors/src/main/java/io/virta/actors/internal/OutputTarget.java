package io.virta.actors.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API: where a pipeline entity's outbox goes: the output stream, or the entity of another
 * key.
 */
@FunctionalInterface
interface OutputTarget {
    /**
     * Completes once {@code outputs}, all for {@code key} and numbered by {@code producer}, are
     * stored (or known as stored before).
     */
    CompletionStage<Void> write(String key, String producer, List<PipelineRows.Output> outputs);

    /**
     * The first outputs of {@code outbox} that go to the same key of the same stream (the output,
     * or its late side stream), at most {@code max} of them.
     */
    static List<PipelineRows.Output> nextBatch(List<PipelineRows.Output> outbox, int max) {
        String key = outbox.get(0).key();
        boolean late = outbox.get(0).late();
        return outbox.stream()
                .takeWhile(o -> o.key().equals(key) && o.late() == late)
                .limit(max)
                .toList();
    }
}
