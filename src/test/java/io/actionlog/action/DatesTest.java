package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatesTest {
    private static final long T = 1_410_942_382L * 1_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"Wed, 17 Sep 2014 08:26:22 +0000", "Wed, 17 Sep 2014 08:26:22 GMT", "1410942382",
            "2014-09-17T08:26:22Z", "2014-09-17T08:26:22", "2014-09-17 08:26:22", "2014-09-17T10:26:22+02:00",
            "2014-09-17T10:26:22+0200", "2014-09-17T08:26:22.000000+00:00"})
    void everyAcceptedFormReadsTheSameInstant(String text) {
        assertEquals(T, Dates.parse(text));
    }

    @Test
    void fractionsAreKeptToTheMicrosecond() {
        assertEquals(T + 500_000, Dates.parse("1410942382.5"));
        assertEquals(T + 123_456, Dates.parse("1410942382.1234567"));
        assertEquals(-1_500_000, Dates.parse("-1.50000009"));
        assertEquals(T + 123_456, Dates.parse("2014-09-17T08:26:22.123456Z"));
        assertEquals(1_410_912_000L * 1_000_000L, Dates.parse("2014-09-17"));
    }

    @Test
    void tutumDatesAreRfc1123WithAPaddedDayAndPlusZero() {
        assertEquals("Wed, 17 Sep 2014 08:26:22 +0000", Dates.rfc1123(T + 999_999));
        assertEquals("Wed, 03 Sep 2014 00:00:00 +0000", Dates.rfc1123(Dates.parse("2014-09-03")));
    }

    @Test
    void waldurDatesShowMicrosecondsOnlyWhenThereAreAny() {
        assertEquals("2014-09-17T08:26:22+00:00", Dates.rfc3339(T));
        assertEquals("2014-09-17T08:26:22.000010+00:00", Dates.rfc3339(T + 10));
        assertEquals("2014-09-17T08:00:00+00:00", Dates.rfc3339(Dates.parse("2014-09-17T08:00:00Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2014-13-01", "Wed, 32 Sep 2014 08:26:22 +0000", "99999999999999",
            "2014-09-17T25:00:00Z", "1e9"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Dates.parse(text));
    }
}
