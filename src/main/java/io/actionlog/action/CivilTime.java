package io.actionlog.action;

import java.nio.charset.StandardCharsets;

/**
 * UTC calendar arithmetic and the two fixed-width date texts the API faces write and most clients send back,
 * by hand: every listed action renders two dates, and {@code java.time} formatting and parsing cost about a
 * microsecond each, more than the rest of the row. The day/date conversions are the proleptic Gregorian
 * algorithms of H. Hinnant ("chrono-compatible low-level date algorithms"). Years 1 to 9999 only, which is what
 * {@link Dates} accepts; callers fall back to {@code java.time} for anything these methods decline.
 */
final class CivilTime {
    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};
    /** Returned by the parsers when the text is not exactly their shape. */
    static final long DECLINED = Long.MIN_VALUE;
    static final int RFC_1123_LENGTH = 31;
    /** {@code yyyy-MM-ddTHH:mm:ss.ffffff+00:00}; without microseconds it is 7 bytes shorter. */
    static final int RFC_3339_MAX_LENGTH = 32;
    private static final int DAY_PREFIX_LENGTH = 17;
    private static final byte[] RFC_1123_ZONE = " +0000".getBytes(StandardCharsets.US_ASCII);
    /**
     * The date part of the RFC 1123 text of recent days, by day modulo 64: the rows of a page mostly fall on a few
     * days, and working out the calendar date was most of the cost of writing one.
     */
    private static final DayPrefix[] DAY_PREFIXES = new DayPrefix[64];

    private CivilTime() {
    }

    /** Days since 1970-01-01 of a valid date. */
    static long daysOf(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    /** The date of a day since 1970-01-01, packed as year * 10000 + month * 100 + day. */
    static long dateOf(long days) {
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return year * 10_000 + month * 100 + day;
    }

    static int daysInMonth(int year, int month) {
        if (month == 2) {
            return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** {@code Wed, 17 Sep 2014 08:26:22 +0000}; null outside years 1-9999. */
    static String rfc1123(long seconds) {
        byte[] b = new byte[RFC_1123_LENGTH];
        return rfc1123(seconds, b, 0) ? new String(b, StandardCharsets.ISO_8859_1) : null;
    }

    /** As {@link #rfc1123(long)}, written as ASCII into {@code b[at, at + 31)}; false (nothing written) outside. */
    static boolean rfc1123(long seconds, byte[] b, int at) {
        long days = Math.floorDiv(seconds, 86_400L);
        byte[] prefix = dayPrefix(days);
        if (prefix == null) {
            return false;
        }
        System.arraycopy(prefix, 0, b, at, DAY_PREFIX_LENGTH);
        clock(b, at + DAY_PREFIX_LENGTH, (int) Math.floorMod(seconds, 86_400L));
        System.arraycopy(RFC_1123_ZONE, 0, b, at + 25, RFC_1123_ZONE.length);
        return true;
    }

    /** The {@code EEE, dd MMM yyyy } of a day, from {@link #DAY_PREFIXES} when it was written lately. */
    private static byte[] dayPrefix(long days) {
        int slot = (int) (days & (DAY_PREFIXES.length - 1));
        DayPrefix cached = DAY_PREFIXES[slot];
        if (cached != null && cached.days == days) {
            return cached.bytes;
        }
        long date = dateOf(days);
        int year = (int) (date / 10_000);
        if (year < 1 || year > 9999) {
            return null;
        }
        byte[] b = new byte[DAY_PREFIX_LENGTH];
        ascii(DAYS[(int) Math.floorMod(days, 7L)], b, 0);
        b[3] = ',';
        b[4] = ' ';
        two(b, 5, (int) (date % 100));
        b[7] = ' ';
        ascii(MONTHS[(int) (date / 100 % 100) - 1], b, 8);
        b[11] = ' ';
        four(b, 12, year);
        b[16] = ' ';
        DAY_PREFIXES[slot] = new DayPrefix(days, b);
        return b;
    }

    /** Immutable, so a slot written by one thread is read whole by any other, or not seen at all. */
    private record DayPrefix(long days, byte[] bytes) {
    }

    /** {@code 2014-09-17T08:26:22+00:00}, with {@code .ffffff} before the offset when micros are not zero. */
    static String rfc3339(long seconds, int micros) {
        byte[] c = new byte[RFC_3339_MAX_LENGTH];
        int n = rfc3339(seconds, micros, c, 0);
        return n == 0 ? null : new String(c, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * As {@link #rfc3339(long, int)}, written as ASCII into {@code c} at {@code at} (room for
     * {@link #RFC_3339_MAX_LENGTH} bytes): the number of bytes written, or 0 (nothing written) outside years 1-9999.
     */
    static int rfc3339(long seconds, int micros, byte[] c, int at) {
        long days = Math.floorDiv(seconds, 86_400L);
        long date = dateOf(days);
        int year = (int) (date / 10_000);
        if (year < 1 || year > 9999) {
            return 0;
        }
        four(c, at, year);
        c[at + 4] = '-';
        two(c, at + 5, (int) (date / 100 % 100));
        c[at + 7] = '-';
        two(c, at + 8, (int) (date % 100));
        c[at + 10] = 'T';
        clock(c, at + 11, (int) Math.floorMod(seconds, 86_400L));
        int end = at + 19;
        if (micros != 0) {
            c[end++] = '.';
            for (int i = 5, v = micros; i >= 0; i--, v /= 10) {
                c[end + i] = (byte) ('0' + v % 10);
            }
            end += 6;
        }
        ascii("+00:00", c, end);
        return end + 6 - at;
    }

    /**
     * Epoch seconds of exactly {@code EEE, dd MMM yyyy HH:mm:ss +0000} (or {@code GMT}) with a day name that
     * matches the date; {@link #DECLINED} for anything else, which the caller hands to the general parser.
     */
    static long parseRfc1123(String s) {
        int n = s.length();
        boolean gmt = n == 29 && s.endsWith(" GMT");
        if (!(gmt || n == 31 && s.endsWith(" +0000")) || s.charAt(3) != ',' || s.charAt(4) != ' '
                || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' ') {
            return DECLINED;
        }
        int month = monthOf(s, 8);
        int day = digits(s, 5, 2);
        int year = digits(s, 12, 4);
        long time = clockSeconds(s, 17);
        if (month < 0 || day < 1 || year < 1 || time < 0 || day > daysInMonth(year, month)) {
            return DECLINED;
        }
        long days = daysOf(year, month, day);
        if (!s.startsWith(DAYS[(int) Math.floorMod(days, 7L)])) {
            return DECLINED;
        }
        return days * 86_400L + time;
    }

    /**
     * Epoch microseconds of exactly {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 6 digits, and
     * {@code Z} or {@code +00:00}; {@link #DECLINED} for anything else.
     */
    static long parseRfc3339Utc(String s) {
        int n = s.length();
        int end;
        if (n >= 20 && s.charAt(n - 1) == 'Z') {
            end = n - 1;
        } else if (n >= 25 && s.endsWith("+00:00")) {
            end = n - 6;
        } else {
            return DECLINED;
        }
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T') {
            return DECLINED;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        long time = clockSeconds(s, 11);
        if (year < 1 || month < 1 || month > 12 || day < 1 || time < 0 || day > daysInMonth(year, month)) {
            return DECLINED;
        }
        long micros = 0;
        if (end > 19) {
            int places = end - 20;
            if (s.charAt(19) != '.' || places < 1 || places > 6) {
                return DECLINED;
            }
            int f = digits(s, 20, places);
            if (f < 0) {
                return DECLINED;
            }
            micros = f;
            for (int i = places; i < 6; i++) {
                micros *= 10;
            }
        } else if (end != 19) {
            return DECLINED;
        }
        return (daysOf(year, month, day) * 86_400L + time) * 1_000_000L + micros;
    }

    /** Seconds of the day of {@code HH:mm:ss} at {@code at}, or -1. */
    private static long clockSeconds(String s, int at) {
        if (s.charAt(at + 2) != ':' || s.charAt(at + 5) != ':') {
            return -1;
        }
        int h = digits(s, at, 2);
        int m = digits(s, at + 3, 2);
        int sec = digits(s, at + 6, 2);
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) {
            return -1;
        }
        return h * 3600L + m * 60L + sec;
    }

    private static int monthOf(String s, int at) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (s.startsWith(MONTHS[i], at)) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Seconds since the epoch of midnight UTC of a {@code yyyy-mm-dd} date from 1970 to 9999 (what a list's date
     * filters usually are); DECLINED for anything else, which the general parser then reads or refuses.
     */
    static long parseIsoDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return DECLINED;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return DECLINED;
        }
        return daysOf(year, month, day) * 86_400L;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(String s, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static void ascii(String s, byte[] b, int at) {
        for (int i = 0; i < s.length(); i++) {
            b[at + i] = (byte) s.charAt(i);
        }
    }

    private static void clock(byte[] c, int at, int secondOfDay) {
        two(c, at, secondOfDay / 3600);
        c[at + 2] = ':';
        two(c, at + 3, secondOfDay / 60 % 60);
        c[at + 5] = ':';
        two(c, at + 6, secondOfDay % 60);
    }

    private static void two(byte[] c, int at, int v) {
        c[at] = (byte) ('0' + v / 10);
        c[at + 1] = (byte) ('0' + v % 10);
    }

    private static void four(byte[] c, int at, int v) {
        two(c, at, v / 100);
        two(c, at + 2, v % 100);
    }
}
