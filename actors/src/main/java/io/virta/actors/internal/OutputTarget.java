package io.virta.actors.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

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
     * Completes once every output of {@code wave}, outputs of many keys in outbox order, is stored.
     * This default makes one {@link #write} per key and stream (output or late), each keeping its
     * outputs' order, up to {@code parallelism} at the same time: what a target whose keys store
     * apart needs. A target that keeps every key's order in one write overrides it.
     */
    default CompletionStage<Void> writeWave(
            String producer,
            List<PipelineRows.Output> wave,
            int parallelism,
            ActorSystem<?> system) {
        Map<String, List<PipelineRows.Output>> byKey = new LinkedHashMap<>();
        for (PipelineRows.Output o : wave) {
            byKey.computeIfAbsent((o.late() ? "L" : "O") + o.key(), k -> new ArrayList<>()).add(o);
        }
        return Source.from(List.copyOf(byKey.values()))
                .mapAsyncUnordered(parallelism, batch -> write(batch.get(0).key(), producer, batch))
                .runWith(Sink.ignore(), system)
                .thenApply(done -> null);
    }

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
