package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.actors.internal.PipelineRows.Output;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How a wave of a key group's outbox reaches a target whose keys store apart. */
class OutputTargetTest {
    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static Output out(long number, String key, boolean late) {
        return new Output(number, key, number, "{\"n\":" + number + "}", late);
    }

    @Test
    void theDefaultWaveWritesEachKeyAndStreamApartInOrderAtMostParallelismAtOnce()
            throws Exception {
        List<List<Output>> writes = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        OutputTarget target =
                (key, producer, outputs) -> {
                    assertThat(outputs).allMatch(o -> o.key().equals(key));
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    writes.add(outputs);
                    // A write that takes a while, so that writes overlap when they may.
                    return CompletableFuture.supplyAsync(
                            () -> {
                                inFlight.decrementAndGet();
                                return null;
                            },
                            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                };
        List<Output> wave =
                List.of(
                        out(1, "a", false),
                        out(2, "b", false),
                        out(3, "a", false),
                        out(4, "a", true),
                        out(5, "c", false),
                        out(6, "b", false));

        target.writeWave("group-1", wave, 2, KIT.system())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(writes)
                .containsExactlyInAnyOrder(
                        List.of(out(1, "a", false), out(3, "a", false)),
                        List.of(out(2, "b", false), out(6, "b", false)),
                        List.of(out(4, "a", true)),
                        List.of(out(5, "c", false)));
        assertThat(mostInFlight.get()).isBetween(1, 2);
    }
}
