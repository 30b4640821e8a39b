package io.actionlog.http.tutum;

import java.util.Arrays;

/**
 * Lines of a bulk body cut on the event loop, to be parsed together on a worker: their bytes one after another
 * (copied, since the network buffer they came in is reused) and each line's number. The line being cut, whose end
 * has not arrived yet, is the last bytes held. Confined to one thread at a time: the event loop fills it, then
 * hands it over whole.
 */
final class LineBatch {
    private byte[] bytes;
    private int length;
    private int lineStart;
    private int[] ends = new int[64];
    private int[] numbers = new int[64];
    private int count;

    /** A batch that cuts its lines into {@code bytes}, which it grows only for a line that does not fit. */
    LineBatch(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Appends to the line being cut. */
    void append(byte[] data, int from, int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
        }
        System.arraycopy(data, from, bytes, length, n);
        length += n;
    }

    /** Bytes of the line being cut so far. */
    int partial() {
        return length - lineStart;
    }

    /** Forgets the line being cut (too long, blank, or past a limit). */
    void dropPartial() {
        length = lineStart;
    }

    /** Ends the line being cut: it is line {@code number} of the body. */
    void endLine(int number) {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
            numbers = Arrays.copyOf(numbers, count * 2);
        }
        ends[count] = length;
        numbers[count++] = number;
        lineStart = length;
    }

    int count() {
        return count;
    }

    /** Bytes held, the line being cut included. */
    int bytes() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    int end(int i) {
        return ends[i];
    }

    int number(int i) {
        return numbers[i];
    }
}
