package io.actionlog.journal;

import io.actionlog.action.State;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Reads the {@link EncodeBuffer} primitives back from one entry's bytes (checksum excluded). Every read checks the
 * bytes left first, and lengths are checked against them before anything is allocated, so garbage becomes a
 * {@link CorruptEntryException} and never an index exception or a huge allocation.
 */
final class ByteReader {

    private static final int STATE_COUNT = State.values().length;

    private final byte[] b;
    private final int end;
    private int pos;

    ByteReader(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    static int intLE(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private void need(long n, String what) {
        if (n > end - pos) {
            throw new CorruptEntryException("truncated entry: " + what + " needs " + n + " bytes, "
                    + (end - pos) + " left");
        }
    }

    int u8() {
        need(1, "a byte");
        return b[pos++] & 0xFF;
    }

    byte state() {
        int code = u8();
        if (code >= STATE_COUNT) {
            throw new CorruptEntryException("unknown state code " + code);
        }
        return (byte) code;
    }

    long varLong() {
        long v = unsignedVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    private long unsignedVarLong() {
        // Most varints (value codes, numbers, lengths) are one byte: read it without the loop.
        if (pos < end && b[pos] >= 0) {
            return b[pos++];
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            long bits = u8();
            if (shift == 63 && bits > 1) {
                break;
            }
            v |= (bits & 0x7F) << shift;
            if ((bits & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptEntryException("malformed varint");
    }

    /** An unsigned varint that must fit in an int: a value code or number. */
    int number(String what) {
        long v = unsignedVarLong();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new CorruptEntryException(what + " out of range: " + v);
        }
        return (int) v;
    }

    /** A size or length plus one (0: null) that must fit in the bytes left. */
    int count(String what) {
        long v = unsignedVarLong();
        if (v < 0 || v - 1 > end - pos) {
            throw new CorruptEntryException("truncated entry: " + what + " of " + (v - 1) + " does not fit in "
                    + (end - pos) + " bytes");
        }
        return (int) v;
    }

    UUID uuid() {
        need(16, "a UUID");
        return new UUID(longBE(), longBE());
    }

    private long longBE() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[pos++] & 0xFF);
        }
        return v;
    }

    String string() {
        int lengthPlusOne = count("a string");
        if (lengthPlusOne == 0) {
            return null;
        }
        String s = new String(b, pos, lengthPlusOne - 1, StandardCharsets.UTF_8);
        pos += lengthPlusOne - 1;
        return s;
    }

    /**
     * A free text, or when {@code decode} is false only what it is: null, "", "{}" or {@link Entry#TEXT_LEFT_OUT}
     * for anything else, without decoding its UTF-8.
     */
    String text(boolean decode) {
        if (decode) {
            return string();
        }
        int lengthPlusOne = count("a string");
        int length = lengthPlusOne - 1;
        String s = switch (length) {
            case -1 -> null;
            case 0 -> "";
            case 2 -> b[pos] == '{' && b[pos + 1] == '}' ? "{}" : Entry.TEXT_LEFT_OUT;
            default -> Entry.TEXT_LEFT_OUT;
        };
        pos += Math.max(length, 0);
        return s;
    }

    /** A string's length in bytes (-1 for null); its bytes start at {@link #position()}, see {@link #skip}. */
    int stringLength() {
        return count("a string") - 1;
    }

    int position() {
        return pos;
    }

    /** Moves past n bytes that {@link #count} or {@link #stringLength} has checked are there. */
    void skip(int n) {
        pos += Math.max(n, 0);
    }

    /** One half of a UUID (big-endian, as {@link #uuid} reads them). */
    long uuidHalf() {
        need(8, "a UUID");
        return longBE();
    }

    List<String> strings() {
        int sizePlusOne = count("a list");
        if (sizePlusOne == 0) {
            return null;
        }
        List<String> list = new ArrayList<>(sizePlusOne - 1);
        for (int i = 1; i < sizePlusOne; i++) {
            list.add(string());
        }
        return Collections.unmodifiableList(list);
    }

    void expectEnd() {
        if (pos != end) {
            throw new CorruptEntryException((end - pos) + " unexpected bytes after the entry's last field");
        }
    }
}
