package io.actionlog.action;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Pattern;

/** Instants as epoch microseconds, and the date formats both API faces speak. */
public final class Dates {
    private static final DateTimeFormatter RFC_1123_OUT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss '+0000'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_1123_IN = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ENGLISH);
    private static final DateTimeFormatter ISO_LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter(Locale.ROOT);
    /**
     * Any number of fraction digits, cut to the microsecond as ISO 8601's are: a float's shortest text often has
     * seven ({@code json.dumps(time.time())} in Python gives {@code 1764974025.6732187}).
     */
    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}(\\.\\d+)?");
    private static final Pattern ENDS_WITH_OFFSET = Pattern.compile(".*[+-]\\d{2}:?\\d{2}$");
    private static final Pattern ENDS_WITH_COMPACT_OFFSET = Pattern.compile(".*[+-]\\d{4}$");
    public static final int RFC_1123_LENGTH = CivilTime.RFC_1123_LENGTH;
    public static final int RFC_3339_MAX_LENGTH = CivilTime.RFC_3339_MAX_LENGTH;
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the dates the API reads and writes. */
    public static final long MIN_SECONDS = -62135596800L;
    public static final long MAX_SECONDS = 253402300799L;

    private Dates() {
    }

    public static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** RFC 1123 (as Tutum writes it or with GMT), ISO 8601 with or without offset (none = UTC), or epoch seconds. */
    public static long parse(String text) {
        String s = text.trim();
        long fast = fastParse(s);
        if (fast != CivilTime.DECLINED) {
            return fast;
        }
        try {
            if (EPOCH.matcher(s).matches()) {
                return fromEpochSeconds(s);
            }
            if (!s.isEmpty() && Character.isLetter(s.charAt(0))) {
                return micros(OffsetDateTime.parse(s, RFC_1123_IN).toInstant());
            }
            if (s.length() == 10) {
                return micros(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            if (s.endsWith("Z") || ENDS_WITH_OFFSET.matcher(s).matches()) {
                return micros(OffsetDateTime.parse(normalizeOffset(s)).toInstant());
            }
            return micros(LocalDateTime.parse(s, ISO_LOCAL).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a date: expected RFC 1123, ISO 8601 or epoch seconds");
        }
    }

    /** The shapes this server writes, read without {@code java.time}; DECLINED for everything else. */
    private static long fastParse(String s) {
        if (s.length() == 10) {
            long seconds = CivilTime.parseIsoDate(s);
            return seconds == CivilTime.DECLINED ? seconds : seconds * 1_000_000L;
        }
        if (s.length() < 20) {
            return CivilTime.DECLINED;
        }
        if (Character.isLetter(s.charAt(0))) {
            long seconds = CivilTime.parseRfc1123(s);
            return seconds == CivilTime.DECLINED ? seconds : seconds * 1_000_000L;
        }
        return CivilTime.parseRfc3339Utc(s);
    }

    public static String rfc1123(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        String fast = CivilTime.rfc1123(seconds);
        return fast != null ? fast : RFC_1123_OUT.format(Instant.ofEpochSecond(seconds));
    }

    /**
     * As {@link #rfc1123(long)}, written as ASCII into {@code out} at {@code at}: the number of bytes written, or
     * 0 (nothing written) for a date outside years 1-9999, for which the caller writes {@link #rfc1123(long)}.
     * {@code out} must have room for {@link #RFC_1123_LENGTH} bytes.
     */
    public static int rfc1123(long micros, byte[] out, int at) {
        return CivilTime.rfc1123(Math.floorDiv(micros, 1_000_000L), out, at) ? RFC_1123_LENGTH : 0;
    }

    /** RFC 3339 in UTC with "+00:00"; microseconds only when they are not zero. */
    public static String rfc3339(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        String fast = CivilTime.rfc3339(seconds, fraction);
        if (fast != null) {
            return fast;
        }
        String base = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).withNano(0));
        if (base.length() == 16) {
            base += ":00";
        }
        return fraction == 0 ? base + "+00:00" : base + String.format(Locale.ROOT, ".%06d+00:00", fraction);
    }

    /**
     * As {@link #rfc3339(long)}, written as ASCII into {@code out} at {@code at}: the number of bytes written, or 0
     * (nothing written) for a date outside years 1-9999, for which the caller writes {@link #rfc3339(long)}.
     * {@code out} must have room for {@link #RFC_3339_MAX_LENGTH} bytes.
     */
    public static int rfc3339(long micros, byte[] out, int at) {
        return CivilTime.rfc3339(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L), out, at);
    }

    public static String iso(long micros) {
        return rfc3339(micros);
    }

    private static long fromEpochSeconds(String s) {
        int dot = s.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new ArithmeticException("out of range");
        }
        long fraction = 0;
        if (dot >= 0) {
            String f = (s.substring(dot + 1) + "000000").substring(0, 6);
            fraction = Long.parseLong(f);
        }
        long micros = seconds * 1_000_000L + (s.startsWith("-") ? -fraction : fraction);
        // The whole seconds alone are in range for "-62135596800.5", which is not: the fraction counts too.
        if (micros < MIN_SECONDS * 1_000_000L) {
            throw new ArithmeticException("out of range");
        }
        return micros;
    }

    /** Java wants "+00:00"; ISO 8601 also allows "+0000". */
    private static String normalizeOffset(String s) {
        if (ENDS_WITH_COMPACT_OFFSET.matcher(s).matches()) {
            return s.substring(0, s.length() - 2) + ":" + s.substring(s.length() - 2);
        }
        return s;
    }

    private static long micros(Instant i) {
        if (i.getEpochSecond() < MIN_SECONDS || i.getEpochSecond() > MAX_SECONDS) {
            throw new ArithmeticException("out of range");
        }
        return i.getEpochSecond() * 1_000_000L + i.get(ChronoField.MICRO_OF_SECOND);
    }
}
