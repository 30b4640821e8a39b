package io.actionlog.integrity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growable UTF-8 buffer that writes JSON values as RFC 8785 (JCS) writes them: strings with only the escapes JCS
 * allows, members in UTF-16 order of their names ({@link RecordedJson} sorts recorded objects). Every number the
 * server itself writes is an integer. The hot writes (plain ASCII runs of strings, dates, ids, uuids) go straight
 * into the array through a local index, since this runs for every entry the writer appends and every entry
 * {@code verify} reads. One instance per thread.
 */
final class CanonicalJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int KEPT_BYTES = 64 * 1024;
    /** {@code 00} to {@code 99}: dates and ids are written two digits at a time. */
    private static final byte[] PAIRS = new byte[200];
    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private byte[] buf = new byte[1024];
    private int len;
    /** {@code yyyy-mm-dd} of the day {@link #day} (days since 1970-01-01), the last one {@link #date} wrote. */
    private final byte[] date = new byte[10];
    private long day = Long.MIN_VALUE;

    /** Starts again; a buffer a large entry grew is let go, so that one such entry does not pin its size. */
    void reset() {
        len = 0;
        if (buf.length > KEPT_BYTES) {
            buf = new byte[1024];
        }
    }

    /** As {@link #reset()}, with {@code prefix} written first (a leaf's 0x00, hashed with the leaf in one update). */
    void reset(byte prefix) {
        reset();
        buf[0] = prefix;
        len = 1;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** The bytes written so far are {@code array()[0, length())}; valid until the next write. */
    byte[] array() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Goes back to {@code length}, a length this buffer had before. */
    void cut(int length) {
        len = length;
    }

    CanonicalJson raw(String ascii) {
        return raw(ascii, 0, ascii.length());
    }

    /** The ASCII chars {@code [from, to)} of {@code ascii}, as they are. */
    CanonicalJson raw(String ascii, int from, int to) {
        room(to - from);
        for (int i = from; i < to; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** The bytes {@code [from, to)} of {@code bytes}, as they are. */
    CanonicalJson raw(byte[] bytes, int from, int to) {
        room(to - from);
        System.arraycopy(bytes, from, buf, len, to - from);
        len += to - from;
        return this;
    }

    /** The bytes of a member name as {@link #name} made them. */
    CanonicalJson key(byte[] name) {
        return raw(name, 0, name.length);
    }

    /** A value as {@link #encoded} made it. */
    CanonicalJson encodedValue(byte[] value) {
        return raw(value, 0, value.length);
    }

    /** The JSON string {@code s} encoded once, for {@link #encodedValue}: a value written for many entries. */
    static byte[] encoded(String s) {
        return new CanonicalJson().string(s).toBytes();
    }

    /** {@code ,"name":} (or {@code {"name":} for the first member) encoded once, for {@link #key(byte[])}. */
    static byte[] name(String name, boolean first) {
        CanonicalJson j = new CanonicalJson();
        return j.raw(first ? "{" : ",").string(name).raw(":").toBytes();
    }

    /** The bytes of {@code first}, the ASCII {@code between}, then each of {@code after}: members kept joined. */
    static byte[] join(byte[] first, String between, byte[]... after) {
        CanonicalJson j = new CanonicalJson().key(first).raw(between);
        for (byte[] a : after) {
            j.key(a);
        }
        return j.toBytes();
    }

    /** A number the server wrote: an id, never negative in practice (a negative one takes the slow way). */
    CanonicalJson number(long n) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            return raw(Long.toString(n));
        }
        // Ids fit in an int: its divisions are multiplications, where a long's are real divisions; two digits a step.
        int v = (int) n;
        int digits = digits(v);
        room(digits);
        int at = len + digits;
        for (; v >= 100; v /= 100) {
            at -= 2;
            two(buf, at, v % 100);
        }
        if (v >= 10) {
            two(buf, at - 2, v);
        } else {
            buf[at - 1] = (byte) ('0' + v);
        }
        len += digits;
        return this;
    }

    /** The digits {@link #number} writes for {@code n}, not negative. */
    static int digits(long n) {
        int digits = 1;
        for (long power = 10; n >= power && digits < 19; power *= 10) {
            digits++;
        }
        return digits;
    }

    CanonicalJson bool(boolean b) {
        return raw(b ? "true" : "false");
    }

    /** A uuid in the lower-case form of {@link UUID#toString()}, or null. */
    CanonicalJson uuid(UUID u) {
        return u == null ? raw("null") : uuid(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    /** The uuid of these two halves, as {@link #uuid(UUID)} writes it. */
    CanonicalJson uuid(long hi, long lo) {
        room(38);
        byte[] b = buf;
        int at = len;
        b[at] = '"';
        hex(b, at + 1, hi >>> 32, 8);
        b[at + 9] = '-';
        hex(b, at + 10, hi >>> 16, 4);
        b[at + 14] = '-';
        hex(b, at + 15, hi, 4);
        b[at + 19] = '-';
        hex(b, at + 20, lo >>> 48, 4);
        b[at + 24] = '-';
        hex(b, at + 25, lo, 12);
        b[at + 37] = '"';
        len = at + 38;
        return this;
    }

    private static void hex(byte[] b, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--, v >>>= 4) {
            b[at + i] = HEX[(int) (v & 15)];
        }
    }

    /** A string, or null. */
    CanonicalJson string(String s) {
        return s == null ? raw("null") : string(s, 0, s.length());
    }

    /**
     * A string given as its UTF-8 bytes {@code [from, from + length)} of {@code utf8}, or null when {@code utf8} is:
     * the bytes of what {@link #string(String)} writes for the decoded string. ASCII (nearly every text) is copied
     * in runs of printable bytes and escaped between them; a text with any other byte is decoded and takes that way.
     */
    CanonicalJson string(byte[] utf8, int from, int length) {
        if (utf8 == null) {
            return raw("null");
        }
        room(length + 2);
        int base = len;
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        int end = from + length;
        boolean roomy = false;
        // Checked and copied in one pass, byte by byte: texts are short, and a plain loop over them compiles well.
        // The escapes of a recorded JSON body's quotes are written in the loop too.
        for (int i = from; i < end; i++) {
            byte c = utf8[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                b[at++] = c;
            } else if (c < 0) {
                len = base;
                return string(new String(utf8, from, length, StandardCharsets.UTF_8));
            } else {
                if (!roomy) { // the first escape makes room for the rest escaped at worst: six bytes each
                    len = at;
                    room(6 * (end - i) + 1);
                    b = buf;
                    roomy = true;
                }
                at = escape(b, at, c);
            }
        }
        b[at++] = '"';
        len = at;
        return this;
    }

    /** Writes the escape of the ASCII byte {@code c} at {@code b[at]}; returns where it ends. */
    private static int escape(byte[] b, int at, byte c) {
        b[at++] = '\\';
        switch (c) {
            case '"', '\\' -> b[at++] = c;
            case '\b' -> b[at++] = 'b';
            case '\f' -> b[at++] = 'f';
            case '\n' -> b[at++] = 'n';
            case '\r' -> b[at++] = 'r';
            case '\t' -> b[at++] = 't';
            default -> {
                b[at++] = 'u';
                b[at++] = '0';
                b[at++] = '0';
                b[at++] = HEX[c >> 4];
                b[at++] = HEX[c & 15];
            }
        }
        return at;
    }

    /** Bytes known to need no escape (see {@code JsonEscapes}), between quotes. */
    CanonicalJson quoted(byte[] utf8, int from, int length) {
        room(length + 2);
        buf[len++] = '"';
        System.arraycopy(utf8, from, buf, len, length);
        len += length;
        buf[len++] = '"';
        return this;
    }

    /** The chars {@code [from, to)} of {@code s} as a JSON string (recorded JSON's strings: short, no copy). */
    CanonicalJson string(String s, int from, int to) {
        // Three bytes a char at most: UTF-8 takes three for a char of the BMP and four for a surrogate pair (two
        // chars), the escape of a quote or backslash two. Only a control char's escape takes more; it makes its own.
        room((to - from) * 3 + 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        // One loop through locals for every char but a control char or a surrogate: a recorded JSON body held in a
        // string has a quote every few chars, and taking each of them through the fields was a sixth of the time a
        // bulk line's leaf took to write.
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    b[at++] = '\\';
                }
                b[at++] = (byte) c;
            } else if (c >= 0x80 && c < 0x800) {
                b[at++] = (byte) (0xC0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3F);
            } else if (c >= 0x800 && !Character.isSurrogate(c)) {
                b[at++] = (byte) (0xE0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                len = at;
                rest(s, i, to);
                buf[len++] = '"';
                return this;
            }
        }
        b[at++] = '"';
        len = at;
        return this;
    }

    /**
     * The chars of a string from a control char or a surrogate on, each through the fields: rare (a log line's tab,
     * a character beyond the BMP, a lone surrogate, written as U+FFFD).
     */
    private void rest(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else {
                    escape(c, to - i);
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                utf8(Character.isSurrogate(c) ? 0xFFFD : c);
            }
        }
    }

    /** Writes the escape of {@code c}, keeping room for the {@code left} chars after it and the closing quote. */
    private void escape(char c, int left) {
        room(6 + 3 * left + 1);
        len = escape(buf, len, (byte) c);
    }

    private void utf8(int cp) {
        if (cp < 0x800) {
            buf[len++] = (byte) (0xC0 | cp >> 6);
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xE0 | cp >> 12);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
        } else {
            buf[len++] = (byte) (0xF0 | cp >> 18);
            buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
        }
        buf[len++] = (byte) (0x80 | cp & 0x3F);
    }

    /**
     * Epoch microseconds as RFC 3339 in UTC with six fraction digits ({@code "yyyy-mm-ddThh:mm:ss.uuuuuuZ"}), or null
     * for {@code noTime}. The date part of the last day written is kept: an entry's dates, and the next entry's,
     * are mostly of one day.
     */
    CanonicalJson date(long micros, long noTime) {
        if (micros == noTime) {
            return raw("null");
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        if (days != day) {
            civilDate(days, micros);
        }
        int secondOfDay = (int) (seconds - days * 86_400L);
        room(29);
        byte[] b = buf;
        int at = len;
        b[at] = '"';
        System.arraycopy(date, 0, b, at + 1, 10);
        b[at + 11] = 'T';
        two(b, at + 12, secondOfDay / 3600);
        b[at + 14] = ':';
        two(b, at + 15, secondOfDay / 60 % 60);
        b[at + 17] = ':';
        two(b, at + 18, secondOfDay % 60);
        b[at + 20] = '.';
        int micro = (int) (micros - seconds * 1_000_000L);
        two(b, at + 21, micro / 10_000);
        two(b, at + 23, micro / 100 % 100);
        two(b, at + 25, micro % 100);
        b[at + 27] = 'Z';
        b[at + 28] = '"';
        len = at + 29;
        return this;
    }

    /** Makes {@link #date} {@code yyyy-mm-dd} of the day {@code days} after 1970-01-01 (the proleptic Gregorian calendar, as RFC 3339 uses). */
    private void civilDate(long days, long micros) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int dayOfMonth = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("date out of RFC 3339 range: " + micros + " us");
        }
        digits(date, 0, (int) year, 4);
        date[4] = '-';
        digits(date, 5, month, 2);
        date[7] = '-';
        digits(date, 8, dayOfMonth, 2);
        day = days;
    }

    /** The two digits of {@code value} (0 to 99) at {@code b[at]}. */
    private static void two(byte[] b, int at, int value) {
        b[at] = PAIRS[2 * value];
        b[at + 1] = PAIRS[2 * value + 1];
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--, value /= 10) {
            b[at + i] = (byte) ('0' + value % 10);
        }
    }

    void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
