package io.actionlog.http;

import io.actionlog.action.Dates;
import io.actionlog.bytes.JsonEscapes;
import io.actionlog.bytes.Words;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON written by hand into a growable byte array, for the rows of list pages, where the generator's
 * char-by-char encoding of every string was a third of a request. The bytes are exactly those the generator of
 * {@link Json} writes for the same calls (the tests compare the two); a finished document becomes the response
 * body with {@link #toBuffer()}.
 *
 * <p>Commas are written for the caller: a value after another value in the same object or array gets one.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII byte: 0 to copy, else the escape letter, or 'u' for the six-character form. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private byte[] bytes;
    private int length;
    /** Whether the next value is the first in its object or array (or follows a key): no comma before it. */
    private boolean first = true;

    public JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    /** An object key as written once ahead: the quoted, escaped name and the colon. */
    public static byte[] key(String name) {
        JsonBytes b = new JsonBytes(name.length() + 8);
        b.string(name);
        b.put((byte) ':');
        return Arrays.copyOf(b.bytes, b.length);
    }

    public JsonBytes startObject() {
        comma();
        put((byte) '{');
        first = true;
        return this;
    }

    public JsonBytes endObject() {
        put((byte) '}');
        first = false;
        return this;
    }

    public JsonBytes startArray() {
        comma();
        put((byte) '[');
        first = true;
        return this;
    }

    public JsonBytes endArray() {
        put((byte) ']');
        first = false;
        return this;
    }

    /** A key from {@link #key(String)}; its value follows. */
    public JsonBytes field(byte[] key) {
        comma();
        put(key, 0, key.length);
        first = true;
        return this;
    }

    public JsonBytes string(String s) {
        if (s == null) {
            return nothing();
        }
        // Encoding the whole string at once is a plain copy for ASCII text.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return utf8(utf8, 0, utf8.length);
    }

    /**
     * A string of printable ASCII that needs no escape (a date, a uuid, a label the server wrote), pieced together
     * from up to three parts (null parts are left out): copied without encoding or looking for escapes.
     */
    public JsonBytes ascii(String a, String b, String c) {
        comma();
        put((byte) '"');
        copyAscii(a);
        copyAscii(b);
        copyAscii(c);
        put((byte) '"');
        first = false;
        return this;
    }

    /** An instant as an RFC 1123 string (as {@link Dates#rfc1123(long)}), written in place. */
    public JsonBytes rfc1123(long micros) {
        ensure(Dates.RFC_1123_LENGTH + 3);
        return placed(Dates.rfc1123(micros, bytes, dateAt()), micros, Dates::rfc1123);
    }

    /** An instant as an RFC 3339 string (as {@link Dates#rfc3339(long)}), written in place. */
    public JsonBytes rfc3339(long micros) {
        ensure(Dates.RFC_3339_MAX_LENGTH + 3);
        return placed(Dates.rfc3339(micros, bytes, dateAt()), micros, Dates::rfc3339);
    }

    /** Where a date written in place goes: after the comma (if any) and the quote, which are written next. */
    private int dateAt() {
        return length + (first ? 1 : 2);
    }

    /** Completes a date of {@code n} bytes written at {@link #dateAt()}; n = 0: the date as {@code text} gives it. */
    private JsonBytes placed(int n, long micros, java.util.function.LongFunction<String> text) {
        if (n == 0) {
            return ascii(text.apply(micros), null, null);
        }
        comma();
        bytes[length++] = '"';
        length += n;
        bytes[length++] = '"';
        first = false;
        return this;
    }

    /**
     * A string of a UUID in its 8-4-4-4-12 lower-case form between two ASCII affixes ({@code prefix} and
     * {@code suffix} may be empty), written in place rather than through {@link java.util.UUID#toString()}.
     */
    public JsonBytes uuid(byte[] prefix, long high, long low, byte[] suffix) {
        comma();
        ensure(prefix.length + 36 + suffix.length + 2);
        bytes[length++] = '"';
        System.arraycopy(prefix, 0, bytes, length, prefix.length);
        length += prefix.length;
        hex(high >>> 32, 8);
        bytes[length++] = '-';
        hex(high >>> 16, 4);
        bytes[length++] = '-';
        hex(high, 4);
        bytes[length++] = '-';
        hex(low >>> 48, 4);
        bytes[length++] = '-';
        hex(low, 12);
        System.arraycopy(suffix, 0, bytes, length, suffix.length);
        length += suffix.length;
        bytes[length++] = '"';
        first = false;
        return this;
    }

    /** The low {@code digits} hex digits of v, most significant first. */
    private void hex(long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length + i] = LOWER_HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        length += digits;
    }

    /** A string of UTF-8 bytes known to need no escape (see {@code CreatedBytes#plain}): copied as they are. */
    public JsonBytes plain(byte[] utf8, int from, int n) {
        comma();
        ensure(n + 2);
        bytes[length++] = '"';
        System.arraycopy(utf8, from, bytes, length, n);
        length += n;
        bytes[length++] = '"';
        first = false;
        return this;
    }

    private void copyAscii(String s) {
        if (s == null) {
            return;
        }
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) s.charAt(i);
        }
        length += n;
    }

    /**
     * A string from a slice of stored UTF-8 (null {@code utf8}: null), copied as it is when {@code plain} says it
     * needs no escape.
     */
    public JsonBytes slice(byte[] utf8, int from, int n, boolean plain) {
        return plain && utf8 != null ? plain(utf8, from, n) : utf8(utf8, from, n);
    }

    /** A string given as its UTF-8 bytes {@code utf8[from, from + n)}, or null when {@code utf8} is null. */
    public JsonBytes utf8(byte[] utf8, int from, int n) {
        if (utf8 == null) {
            return nothing();
        }
        comma();
        ensure(n + 2);
        bytes[length++] = '"';
        escaped(utf8, from, n);
        put((byte) '"');
        first = false;
        return this;
    }

    /**
     * The inside of a string, {@code utf8[from, from + n)} escaped, without quotes or comma: a string written in
     * pieces (an export's logs) between {@link #raw} quotes. Escaping pieces of whole characters one at a time
     * escapes their concatenation.
     */
    public JsonBytes escaped(byte[] utf8, int from, int n) {
        ensure(n);
        int end = from + n;
        int copied = from;
        int i = from;
        while (i < end) {
            // Eight bytes at a time, to the first byte that needs an escape.
            long marks = JsonEscapes.marks(utf8, i, end - i);
            if (marks == 0) {
                i += Long.BYTES;
                continue;
            }
            i += Words.firstMarked(marks);
            int b = utf8[i];
            if (b >= 0) {
                put(utf8, copied, i - copied);
                escape(b);
                copied = i + 1;
            } else if (i + 3 < end) {
                // A character beyond the BMP: the generator writes it as its escaped surrogate pair.
                put(utf8, copied, i - copied);
                int c = (b & 0x07) << 18 | (utf8[i + 1] & 0x3F) << 12 | (utf8[i + 2] & 0x3F) << 6
                        | utf8[i + 3] & 0x3F;
                escapeUnit(Character.highSurrogate(c));
                escapeUnit(Character.lowSurrogate(c));
                i += 3;
                copied = i + 1;
            }
            i++;
        }
        put(utf8, copied, end - copied);
        return this;
    }

    /** Bytes copied as they are, outside the JSON structure (no comma): CSV, line ends, pieces of a value. */
    public JsonBytes raw(byte[] b, int from, int n) {
        put(b, from, n);
        return this;
    }

    /** One byte as it is; see {@link #raw(byte[], int, int)}. */
    public JsonBytes raw(byte b) {
        put(b);
        return this;
    }

    /** The bytes written so far, {@code [0, length())}: valid until the next write. */
    public byte[] array() {
        return bytes;
    }

    /** Forgets everything written, keeping the array: a fresh document, whose next value is the first. */
    public void reset() {
        length = 0;
        first = true;
    }

    /**
     * Forgets the bytes written so far, which the caller has handed on, and goes on with the same document (a
     * comma is still written where one is due): a long document streamed in pieces.
     */
    public void handedOn() {
        length = 0;
    }

    /** Ends a line of NDJSON: the next value starts a new document. */
    public JsonBytes endLine() {
        put((byte) '\n');
        first = true;
        return this;
    }

    /** A JSON value already encoded, as UTF-8 bytes (stored metadata): copied as it is. */
    public JsonBytes rawValue(byte[] utf8, int from, int n) {
        comma();
        put(utf8, from, n);
        first = false;
        return this;
    }

    public JsonBytes number(long v) {
        comma();
        if (v == Long.MIN_VALUE) {
            byte[] digits = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            put(digits, 0, digits.length);
        } else {
            ensure(20);
            long n = v;
            if (n < 0) {
                bytes[length++] = '-';
                n = -n;
            }
            int end = length + digitCount(n);
            for (int i = end - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + n % 10);
                n /= 10;
            }
            length = end;
        }
        first = false;
        return this;
    }

    public JsonBytes bool(boolean v) {
        comma();
        byte[] word = v ? TRUE : FALSE;
        put(word, 0, word.length);
        first = false;
        return this;
    }

    public JsonBytes nothing() {
        comma();
        put(NULL, 0, NULL.length);
        first = false;
        return this;
    }

    /** A JSON value already encoded (stored metadata): copied as it is. */
    public JsonBytes rawValue(String json) {
        comma();
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        put(utf8, 0, utf8.length);
        first = false;
        return this;
    }

    public int length() {
        return length;
    }

    /**
     * Drops what was written after {@code mark}, a {@link #length()} taken right after a complete value that is not
     * the first of its array or object (a page's rows: the next value then gets its comma).
     */
    public void rewind(int mark) {
        length = mark;
        first = false;
    }

    /** Appends the document so far to a response body. */
    public io.vertx.core.buffer.Buffer appendTo(io.vertx.core.buffer.Buffer body) {
        return body.appendBytes(bytes, 0, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The document as a response body (one copy). */
    public io.vertx.core.buffer.Buffer toBuffer() {
        return io.vertx.core.buffer.Buffer.buffer(length).appendBytes(bytes, 0, length);
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private static int digitCount(long n) {
        int d = 1;
        for (long p = 10; d < 19 && n >= p; p *= 10) {
            d++;
        }
        return d;
    }

    private void escape(int b) {
        byte e = ESCAPES[b];
        if (e != 'u') {
            ensure(2);
            bytes[length++] = '\\';
            bytes[length++] = e;
            return;
        }
        escapeUnit((char) b);
    }

    private void escapeUnit(char c) {
        ensure(6);
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = HEX[c >> 12];
        bytes[length++] = HEX[(c >> 8) & 0xF];
        bytes[length++] = HEX[(c >> 4) & 0xF];
        bytes[length++] = HEX[c & 0xF];
    }

    private void comma() {
        if (!first) {
            put((byte) ',');
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    private void put(byte[] b, int from, int n) {
        ensure(n);
        System.arraycopy(b, from, bytes, length, n);
        length += n;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
