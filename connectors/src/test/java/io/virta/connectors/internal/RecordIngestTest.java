package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virta.runtime.stream.EventExtractor;
import io.virta.runtime.stream.KeyedEvent;
import io.virta.runtime.stream.StreamDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a source reads a batch of record values: events in record order, poison set apart. */
class RecordIngestTest {
    private final RecordIngest<String> ingest =
            new RecordIngest<String>(
                            null,
                            null,
                            "clicks",
                            new EventExtractor(StreamDefinition.of("clicks", "/usr", "/ts", null)),
                            value -> value.getBytes(StandardCharsets.UTF_8),
                            value -> "id-" + value.length(),
                            1)
                    .parsingOnly();

    @Test
    void eventsKeepRecordOrderAcrossKeysWithTheirRecordsAtTheSamePositions() {
        List<String> values =
                List.of(
                        "{\"usr\":\"b\",\"ts\":3}",
                        "{\"usr\":\"a\",\"ts\":1}",
                        "{\"usr\":\"b\",\"ts\":2}",
                        "{\"usr\":\"c\",\"ts\":5}");

        RecordIngest.Parsed<String> parsed = ingest.parse(values, 100);

        assertThat(parsed.events()).extracting(KeyedEvent::key).containsExactly("b", "a", "b", "c");
        assertThat(parsed.events())
                .extracting(KeyedEvent::eventTimeMillis)
                .containsExactly(3L, 1L, 2L, 5L);
        assertThat(parsed.records()).isEqualTo(values);
        assertThat(parsed.poison()).isEmpty();
        assertThat(parsed.byKey().keySet()).containsExactly("b", "a", "c");
        assertThat(parsed.byKey().get("b"))
                .extracting(KeyedEvent::eventTimeMillis)
                .containsExactly(3L, 2L);
    }

    @Test
    void poisonRecordsAreSetApartWithTheirReasonsAndTheRestFlow() {
        List<String> values =
                List.of(
                        "{\"usr\":\"a\",\"ts\":1}",
                        "{not json",
                        "{\"ts\":2}",
                        "[1,2]",
                        "",
                        "{\"usr\":\"a\",\"ts\":3}");

        RecordIngest.Parsed<String> parsed = ingest.parse(values, 100);

        assertThat(parsed.records()).containsExactly(values.get(0), values.get(5));
        assertThat(parsed.events()).extracting(KeyedEvent::eventTimeMillis).containsExactly(1L, 3L);
        assertThat(parsed.poison())
                .containsExactly(values.get(1), values.get(2), values.get(3), "");
        assertThat(parsed.reasons().get(0)).startsWith("the value is not JSON");
        assertThat(parsed.reasons().get(1)).contains("no key at '/usr'");
        assertThat(parsed.reasons().get(2)).isEqualTo("the value is not a JSON object");
        assertThat(parsed.reasons().get(3)).isEqualTo("the value is not a JSON object");
    }

    @Test
    void aStoringIngestGivesEachEventTheIdOfItsRecord() {
        RecordIngest<String> storing =
                new RecordIngest<>(
                        null,
                        null,
                        "clicks",
                        new EventExtractor(StreamDefinition.of("clicks", "/usr")),
                        value -> value.getBytes(StandardCharsets.UTF_8),
                        value -> "id-" + value.length(),
                        1);

        RecordIngest.Parsed<String> parsed = storing.parse(List.of("{\"usr\":\"a\"}"), 100);

        assertThat(parsed.events()).singleElement().extracting(KeyedEvent::id).isEqualTo("id-11");
    }
}
