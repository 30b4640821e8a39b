package io.actionlog.bytes;

/**
 * Which bytes of UTF-8 text a JSON string written by this server cannot hold as they are: control characters, the
 * quote and the backslash (escaped), and the lead byte of a four-byte sequence (a character beyond the BMP, written
 * as its escaped surrogate pair, as Jackson writes it). Every other byte, from 0x80 up included, is copied. The
 * journal asks this once per numbered value (values that need nothing are copied without a look) and the writer of
 * list pages for every other string, so the two cannot disagree.
 */
public final class JsonEscapes {
    private static final long CONTROL_LIMIT = Words.repeat(0x20);
    private static final long QUOTES = Words.repeat('"');
    private static final long BACKSLASHES = Words.repeat('\\');
    private static final long LEAD_MASK = Words.repeat(0xF8);
    private static final long FOUR_BYTE_LEADS = Words.repeat(0xF0);

    private JsonEscapes() {
    }

    /**
     * A mark (as {@link Words#zeroBytes} sets them) on each of the word's eight bytes that needs an escape; zero if
     * none does. The lowest mark is exact; marks above it may be false.
     */
    public static long marks(long word) {
        long control = (word - CONTROL_LIMIT) & ~word & Words.HIGHS;
        return control | Words.zeroBytes(word ^ QUOTES) | Words.zeroBytes(word ^ BACKSLASHES)
                | Words.zeroBytes((word & LEAD_MASK) ^ FOUR_BYTE_LEADS);
    }

    /** {@link #marks} of the {@code n} bytes at {@code at}, eight at most; a space (which needs none) after them. */
    public static long marks(byte[] utf8, int at, int n) {
        return marks(n >= Long.BYTES ? Words.at(utf8, at) : Words.partial(utf8, at, n, ' '));
    }

    /** Whether none of {@code utf8[from, from + n)} needs an escape. */
    public static boolean none(byte[] utf8, int from, int n) {
        if (n < Long.BYTES) {
            return marks(utf8, from, n) == 0;
        }
        int end = from + n;
        for (int i = from; i < end - Long.BYTES; i += Long.BYTES) {
            if (marks(Words.at(utf8, i)) != 0) {
                return false;
            }
        }
        // The last eight bytes as one word, overlapping bytes already looked at rather than taken one by one.
        return marks(Words.at(utf8, end - Long.BYTES)) == 0;
    }
}
