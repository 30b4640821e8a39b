package io.actionlog.integrity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.actionlog.action.JsonCopy;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable UTF-8 buffer that writes JSON values as RFC 8785 (JCS) writes them: strings with only the escapes JCS
 * allows, members in UTF-16 order of their names. Numbers of recorded JSON (metadata) are written as the text they
 * were recorded as, since the server never converts one; every number the server itself writes is an integer.
 * One instance per thread.
 */
final class CanonicalJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int KEPT_BYTES = 64 * 1024;
    private byte[] buf = new byte[1024];
    private int len;

    /** Starts again; a buffer a large entry grew is let go, so that one such entry does not pin its size. */
    void reset() {
        len = 0;
        if (buf.length > KEPT_BYTES) {
            buf = new byte[1024];
        }
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    CanonicalJson raw(String ascii) {
        room(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** A member name and its colon, after a comma unless {@code first}. */
    CanonicalJson key(String name, boolean first) {
        if (!first) {
            raw(",");
        }
        return string(name).raw(":");
    }

    /** The bytes of a member name as {@link #name} made them. */
    CanonicalJson key(byte[] name) {
        room(name.length);
        System.arraycopy(name, 0, buf, len, name.length);
        len += name.length;
        return this;
    }

    /** {@code ,"name":} (or {@code {"name":} for the first member) encoded once, for {@link #key(byte[])}. */
    static byte[] name(String name, boolean first) {
        CanonicalJson j = new CanonicalJson();
        return j.raw(first ? "{" : ",").string(name).raw(":").toBytes();
    }

    CanonicalJson number(long n) {
        return raw(Long.toString(n));
    }

    CanonicalJson bool(boolean b) {
        return raw(b ? "true" : "false");
    }

    /** A string, or null. */
    CanonicalJson string(String s) {
        if (s == null) {
            return raw("null");
        }
        // Three bytes a char at most in UTF-8 (a surrogate pair takes four for two); an escape makes its own room.
        room(s.length() * 3 + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
            } else if (c < 0x80) {
                escape(c, s.length() - i);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                utf8(Character.isSurrogate(c) ? 0xFFFD : c);
            }
        }
        buf[len++] = '"';
        return this;
    }

    /** Writes the escape of {@code c}, keeping room for the {@code left} chars after it and the closing quote. */
    private void escape(char c, int left) {
        room(6 + 3 * left + 1);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 15];
            }
        }
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

    /** Epoch microseconds as RFC 3339 in UTC with six fraction digits, or null for {@code noTime}. */
    CanonicalJson date(long micros, long noTime) {
        if (micros == noTime) {
            return raw("null");
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (the proleptic Gregorian calendar, as RFC 3339 uses).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("date out of RFC 3339 range: " + micros + " us");
        }
        raw("\"").digits((int) year, 4).raw("-").digits(month, 2).raw("-").digits(day, 2).raw("T");
        digits(secondOfDay / 3600, 2).raw(":").digits(secondOfDay / 60 % 60, 2).raw(":").digits(secondOfDay % 60, 2);
        return raw(".").digits((int) Math.floorMod(micros, 1_000_000L), 6).raw("Z\"");
    }

    private CanonicalJson digits(int value, int width) {
        room(width);
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += width;
        return this;
    }

    /** Recorded JSON text (an object such as metadata), members sorted, whitespace left out. */
    CanonicalJson json(String text) {
        if (text.equals("{}")) {
            return raw("{}");
        }
        try (JsonParser p = JsonCopy.FACTORY.createParser(text)) {
            p.nextToken();
            value(p);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("recorded JSON does not parse", e);
        }
    }

    private void value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                raw("[");
                for (boolean first = true; p.nextToken() != JsonToken.END_ARRAY; first = false) {
                    if (!first) {
                        raw(",");
                    }
                    value(p);
                }
                raw("]");
            }
            case VALUE_STRING -> string(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> raw(p.getText());
            case VALUE_TRUE -> raw("true");
            case VALUE_FALSE -> raw("false");
            default -> raw("null");
        }
    }

    /**
     * Members are written where they stand, then put in order: their values are copied out once and written back
     * after their names, sorted; no buffer per member.
     */
    private void object(JsonParser p) throws IOException {
        int base = len;
        List<String> names = new ArrayList<>(4);
        IntArrayList ends = new IntArrayList(4);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            names.add(p.currentName());
            p.nextToken();
            value(p);
            ends.add(len - base);
        }
        byte[] values = Arrays.copyOfRange(buf, base, len);
        len = base;
        int[] order = new int[names.size()];
        for (int i = 0; i < order.length; i++) {
            int j = i;
            for (; j > 0 && names.get(order[j - 1]).compareTo(names.get(i)) > 0; j--) {
                order[j] = order[j - 1];
            }
            order[j] = i;
        }
        raw("{");
        for (int k = 0; k < order.length; k++) {
            int m = order[k];
            int from = m == 0 ? 0 : ends.getInt(m - 1);
            key(names.get(m), k == 0);
            room(ends.getInt(m) - from);
            System.arraycopy(values, from, buf, len, ends.getInt(m) - from);
            len += ends.getInt(m) - from;
        }
        raw("}");
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
