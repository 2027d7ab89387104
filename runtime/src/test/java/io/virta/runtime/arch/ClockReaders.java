package io.virta.runtime.arch;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;

/** Classes that read a clock, each in one way: the clock rule must reject every one of them. */
final class ClockReaders {

    private ClockReaders() {}

    static final class CurrentTimeMillis {
        long now() {
            return System.currentTimeMillis();
        }
    }

    static final class NanoTime {
        long now() {
            return System.nanoTime();
        }
    }

    static final class InstantNow {
        long now() {
            return Instant.now().toEpochMilli();
        }
    }

    static final class LocalDateTimeNow {
        long now() {
            return LocalDateTime.now(ZoneOffset.UTC).toEpochSecond(ZoneOffset.UTC);
        }
    }

    static final class SystemClock {
        long now() {
            return Clock.systemUTC().millis();
        }
    }

    static final class NewDate {
        long now() {
            return new Date().getTime();
        }
    }
}
