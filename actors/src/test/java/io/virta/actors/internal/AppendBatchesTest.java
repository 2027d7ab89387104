package io.virta.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.stream.KeyedEvent;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.junit.jupiter.api.Test;

class AppendBatchesTest {
    private static KeyEntitySettings limits(int events, long bytes) {
        return new KeyEntitySettings(
                1000,
                2,
                1000,
                Duration.ofMinutes(1),
                events,
                bytes,
                SupervisorStrategy.restartWithBackoff(
                        Duration.ofMillis(1), Duration.ofMillis(2), 0));
    }

    private static KeyedEvent event(int i, int padding) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("pad", "x".repeat(padding));
        return new KeyedEvent("k", "id-" + i, false, i, payload);
    }

    @Test
    void splitsByCountKeepingOrder() {
        List<KeyedEvent> events = IntStream.range(0, 7).mapToObj(i -> event(i, 1)).toList();

        var batches = AppendBatches.split(events, 5, limits(3, 1_000_000));

        assertThat(batches).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(batches.stream().flatMap(List::stream).map(KeyEntity.NewEvent::id))
                .containsExactlyElementsOf(events.stream().map(KeyedEvent::id).toList());
        assertThat(batches.get(0).get(0).arrivalTimeMillis()).isEqualTo(5);
    }

    @Test
    void splitsByBytesAndLetsAnOversizedEventGoAlone() {
        // Each payload is {"pad":"xxxx..."}: 10 bytes of JSON around the padding.
        List<KeyedEvent> events = List.of(event(0, 41), event(1, 41), event(2, 500), event(3, 10));

        var batches = AppendBatches.split(events, 0, limits(100, 100));

        assertThat(batches).extracting(List::size).containsExactly(1, 1, 1, 1);
        assertThat(AppendBatches.split(List.of(event(0, 30), event(1, 30)), 0, limits(100, 100)))
                .extracting(List::size)
                .containsExactly(2);
    }
}
