package io.actionlog.http;

import io.actionlog.bytes.Words;

/**
 * Incoming bytes must be valid Unicode: they are checked against the UTF-8 of RFC 3629 before anything decodes
 * them, since Jackson's decoder, like many, reads an overlong form ({@code C0 AF} as '/'), a surrogate written in
 * UTF-8 ({@code ED A0 80}) and code points past U+10FFFF without complaint. Decoded text is checked for half a
 * surrogate pair by {@link io.actionlog.action.Surrogates}.
 */
public final class Unicode {
    private Unicode() {
    }

    /**
     * The offset of the first byte in {@code bytes[from, to)} that does not belong to well-formed UTF-8 (an
     * overlong form, a surrogate, a code point past U+10FFFF, a stray or missing continuation byte), or -1 when
     * there is none. ASCII, most of every request, is passed over eight bytes at a time.
     */
    public static int invalidUtf8(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 8 <= to && (Words.at(bytes, i) & Words.HIGHS) == 0) {
                i += 8;
            } else if (bytes[i] >= 0) {
                i++;
            } else {
                int n = sequence(bytes, i, to);
                if (n < 0) {
                    return i;
                }
                i += n;
            }
        }
        return -1;
    }

    /** The length of the well-formed sequence of two to four bytes starting at {@code i}, or -1. */
    private static int sequence(byte[] b, int i, int to) {
        int lead = b[i] & 0xFF;
        // The allowed range of the second byte narrows for E0, ED, F0 and F4 (RFC 3629, table 3-7 of Unicode).
        int n;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        if (i + n > to) {
            return -1;
        }
        int second = b[i + 1] & 0xFF;
        if (second < low || second > high) {
            return -1;
        }
        for (int k = 2; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return n;
    }
}
