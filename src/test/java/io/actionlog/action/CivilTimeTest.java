package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written date code agrees with java.time on every day of years 1-9999 and on random instants. */
class CivilTimeTest {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss '+0000'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    @Test
    void everyDayOfTheSupportedYearsConvertsBothWays() {
        for (long day = FIRST_DAY; day <= LAST_DAY; day++) {
            LocalDate d = LocalDate.ofEpochDay(day);
            String text = d.toString();
            long packed = d.getYear() * 10_000L + d.getMonthValue() * 100L + d.getDayOfMonth();
            long midnight = day * 86_400L;
            assertEquals(packed, CivilTime.dateOf(day), text);
            assertEquals(day, CivilTime.daysOf(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), text);
            assertEquals(d.lengthOfMonth(), CivilTime.daysInMonth(d.getYear(), d.getMonthValue()), text);
            assertEquals(d.getYear() >= 1970 ? midnight : CivilTime.DECLINED, CivilTime.parseIsoDate(text), text);
            assertEquals(midnight * 1_000_000L, Dates.parse(text), text);
        }
    }

    @Test
    void randomInstantsFormatAndParseLikeJavaTime() {
        SplittableRandom random = new SplittableRandom(7);
        long first = FIRST_DAY * 86_400L;
        long last = LAST_DAY * 86_400L + 86_399L;
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(first, last + 1);
            int micros = i % 3 == 0 ? 0 : random.nextInt(1_000_000);
            Instant instant = Instant.ofEpochSecond(seconds, micros * 1000L);

            String rfc1123 = RFC_1123.format(instant);
            assertEquals(rfc1123, CivilTime.rfc1123(seconds));
            assertEquals(seconds, CivilTime.parseRfc1123(rfc1123), rfc1123);
            assertEquals(seconds, CivilTime.parseRfc1123(rfc1123.replace("+0000", "GMT")), rfc1123);

            String iso = isoOf(instant);
            assertEquals(iso, CivilTime.rfc3339(seconds, micros));
            long expected = seconds * 1_000_000L + micros;
            assertEquals(expected, CivilTime.parseRfc3339Utc(iso), iso);
            assertEquals(expected, Dates.parse(iso.replace("+00:00", "Z")), iso);
        }
    }

    @Test
    void daysThatShareARememberedDatePartAlternateCorrectly() {
        // The date part of recent days is kept by day modulo 64: days 64 apart take turns in one place.
        long day = LocalDate.of(2026, 1, 1).toEpochDay();
        long[] days = {day, day + 64, day, day + 128, day + 64, day - 64, day};
        for (int i = 0; i < days.length; i++) {
            long seconds = days[i] * 86_400L + i * 3_601L;
            byte[] written = new byte[40];
            assertEquals(true, CivilTime.rfc1123(seconds, written, 5));
            assertEquals(RFC_1123.format(Instant.ofEpochSecond(seconds)),
                    new String(written, 5, CivilTime.RFC_1123_LENGTH, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shapesItDoesNotKnowAreLeftToTheGeneralParser() {
        for (String s : new String[] {"Thu, 17 Sep 2014 08:26:22 +0000", "Wed, 31 Sep 2014 08:26:22 +0000",
                "Wed, 17 Sep 2014 24:00:00 +0000", "Wed, 17 Sep 2014 08:26:22 +0100", "Wed, 17 Sept 2014 08:26:22",
                "wed, 17 Sep 2014 08:26:22 +0000", "Wed, 17 Sep 2014 08:26:60 +0000"}) {
            assertEquals(CivilTime.DECLINED, CivilTime.parseRfc1123(s), s);
        }
        for (String s : new String[] {"2014-09-17T08:26:22.1234567Z", "2014-09-17T08:26:22.Z", "2014-02-29T00:00:00Z",
                "2014-09-17 08:26:22Z", "2014-09-17T08:26:22+02:00", "2014-09-17T08:26Z", "0000-01-01T00:00:00Z"}) {
            assertEquals(CivilTime.DECLINED, CivilTime.parseRfc3339Utc(s), s);
        }
        for (String s : new String[] {"2014-02-29", "2014-13-01", "2014-00-10", "2014-01-00", "2014-01-32",
                "2014/01/01", "20140101xx", "1700000000", "+014-01-01", "2014-1-011", "1969-12-31"}) {
            assertEquals(CivilTime.DECLINED, CivilTime.parseIsoDate(s), s);
        }
    }

    private static String isoOf(Instant instant) {
        String base = instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        int micros = instant.getNano() / 1000;
        return base + (micros == 0 ? "" : String.format(Locale.ROOT, ".%06d", micros)) + "+00:00";
    }
}
