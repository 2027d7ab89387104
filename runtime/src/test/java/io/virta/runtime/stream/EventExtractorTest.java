package io.virta.runtime.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventExtractorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StreamDefinition ORDERS =
            StreamDefinition.of("orders", "/customer/id")
                    .withTimestampField("/ts")
                    .withIdField("/order");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void extractsNestedKeyTimeAndId() throws Exception {
        KeyedEvent event =
                new EventExtractor(ORDERS)
                        .extract(
                                json(
                                        "{\"customer\":{\"id\":\"alice\"},\"ts\":\"2024-05-01T12:00:00Z\",\"order\":\"o1\"}"),
                                99,
                                () -> "assigned");

        assertThat(event.key()).isEqualTo("alice");
        assertThat(event.id()).isEqualTo("o1");
        assertThat(event.idAssigned()).isFalse();
        assertThat(event.eventTimeMillis()).isEqualTo(1714564800000L);
    }

    @Test
    void withoutTimestampFieldUsesArrivalTimeAndAssignsMissingIds() throws Exception {
        KeyedEvent event =
                new EventExtractor(StreamDefinition.of("clicks", "/user"))
                        .extract(json("{\"user\":42}"), 1234, () -> "assigned-1");

        assertThat(event.key()).isEqualTo("42");
        assertThat(event.eventTimeMillis()).isEqualTo(1234);
        assertThat(event.id()).isEqualTo("assigned-1");
        assertThat(event.idAssigned()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "2024-05-01T12:00:00Z, 1714564800000",
        "2024-05-01T14:00:00+02:00, 1714564800000",
        "2024-05-01T12:00:00, 1714564800000",
        "2024-05-01T12:00:00.250Z, 1714564800250"
    })
    void readsIsoEventTimes(String text, long millis) {
        assertThat(EventExtractor.parseTime(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"ts\":1,\"order\":\"o\"}|/customer/id|has no key",
                "{\"customer\":{\"id\":{\"a\":1}},\"ts\":1}|/customer/id|must be a string, number or boolean, found an object",
                "{\"customer\":{\"id\":\"\"},\"ts\":1}|/customer/id|1 to 1024 characters",
                "{\"customer\":{\"id\":\"a\"}}|/ts|has no event time",
                "{\"customer\":{\"id\":\"a\"},\"ts\":\"yesterday\"}|/ts|is not ISO-8601",
                "{\"customer\":{\"id\":\"a\"},\"ts\":true}|/ts|must be ISO-8601 text or epoch milliseconds, found a boolean",
                "{\"customer\":{\"id\":\"a\"},\"ts\":1,\"order\":[1]}|/order|must be a string or an integer, found an array",
                "[1,2]||must be a JSON object, found an array"
            })
    void rejectsEventsThatBreakTheDefinitionNamingTheField(
            String event, String field, String message) throws Exception {
        assertThatThrownBy(() -> new EventExtractor(ORDERS).extract(json(event), 0, () -> "x"))
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo(field == null ? "" : field))
                .hasMessageContaining(message);
    }

    @Test
    void definitionsValidateNamesAndPointers() {
        assertThatThrownBy(() -> StreamDefinition.of("9lives", "/k"))
                .hasMessageContaining("stream name '9lives' is invalid");
        assertThatThrownBy(() -> StreamDefinition.of("s", "user_id"))
                .hasMessageContaining("must start with '/'");
        assertThat(StreamDefinition.of("s", "/k").withIdField("/id"))
                .isEqualTo(StreamDefinition.of("s", "/k", null, "/id"))
                .isNotEqualTo(StreamDefinition.of("s", "/k"));
    }
}
