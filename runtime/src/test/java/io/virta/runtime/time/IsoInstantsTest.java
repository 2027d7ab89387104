package io.virta.runtime.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The hand-read form gives what {@link Instant#parse} gives, and everything else goes there. */
class IsoInstantsTest {

    @Property(seed = "20261204")
    void readsWhatInstantParseReads(
            @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis,
            @ForAll @IntRange(min = 0, max = 999_999) int nanosBelowMillis) {
        Instant instant = Instant.ofEpochMilli(millis).plusNanos(nanosBelowMillis);
        String text = instant.toString();

        assertThat(IsoInstants.parseMillis(text))
                .as(text)
                .isEqualTo(Instant.parse(text).toEpochMilli());
    }

    @Test
    void fractionsOfEveryLengthAndLowerCaseTAreRead() {
        for (String text :
                new String[] {
                    "2024-05-01T12:00:00.2Z",
                    "2024-05-01T12:00:00.25Z",
                    "2024-05-01T12:00:00.250000001Z",
                    "2024-02-29T23:59:59.999Z",
                    "1969-12-31T23:59:59.999Z",
                    "0000-01-01T00:00:00Z",
                    "2024-05-01t12:00:00Z"
                }) {
            assertThat(IsoInstants.parseMillis(text))
                    .as(text)
                    .isEqualTo(Instant.parse(text).toEpochMilli());
        }
    }

    @Test
    void otherShapesGoToInstantParse() {
        assertThat(IsoInstants.parseMillis("2024-05-01T14:00:00+02:00"))
                .isEqualTo(Instant.parse("2024-05-01T12:00:00Z").toEpochMilli());
        for (String text :
                new String[] {
                    "+10000-01-01T00:00:00Z",
                    "2024-05-01T24:00:00Z",
                    "2024-05-01T12:00:00.Z",
                    "2016-12-31T23:59:60Z"
                }) {
            assertThat(IsoInstants.parseMillis(text))
                    .as(text)
                    .isEqualTo(Instant.parse(text).toEpochMilli());
        }
    }

    @Test
    void invalidTextFailsAsInstantParseFails() {
        for (String text :
                new String[] {
                    "2023-02-29T00:00:00Z",
                    "2024-13-01T00:00:00Z",
                    "2024-05-01T12:00:00.1234567890Z",
                    "2024-05-01 12:00:00Z",
                    "yesterday"
                }) {
            assertThatThrownBy(() -> IsoInstants.parseMillis(text))
                    .as(text)
                    .isInstanceOf(DateTimeException.class);
        }
    }
}
