package io.virta.runtime.time;

import java.time.Instant;

/**
 * Reads ISO-8601 instants ({@code 2024-05-01T12:00:00Z}, {@code 2024-05-01T12:00:00.250Z}) as epoch
 * milliseconds, as {@link Instant#parse} does, several times faster for the common UTC form that
 * events carry: every event's time is read at least once on its way in, so this is on the path of
 * every record. Text of any other shape (an offset, a leap second, a year past 9999) goes to {@link
 * Instant#parse}, so the result and the errors are always {@code Instant.parse}'s.
 */
public final class IsoInstants {
    private IsoInstants() {}

    /**
     * The instant {@code text} names, in epoch milliseconds (fractions below a millisecond are cut,
     * as {@link Instant#toEpochMilli} does).
     *
     * @throws java.time.format.DateTimeParseException when {@code text} is not an ISO-8601 instant
     */
    public static long parseMillis(String text) {
        long fast = fast(text);
        return fast != Long.MIN_VALUE ? fast : Instant.parse(text).toEpochMilli();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} read by hand, or {@code Long.MIN_VALUE}. */
    private static long fast(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > daysIn(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            // A fraction: '.' then 1 to 9 digits before the 'Z'.
            int fractionDigits = n - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return Long.MIN_VALUE;
            }
            int scale = 100;
            for (int i = 20; i < n - 1; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return Long.MIN_VALUE;
                }
                millis += (c - '0') * scale;
                scale /= 10;
            }
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 to the given date of the proleptic Gregorian calendar. */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
