package io.actionlog.bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: the loads and the classic "has a zero byte" test that the scans of request and response
 * bytes share (line ends of a bulk body, bytes a JSON string must escape). A byte equal to {@code b} is a zero
 * byte of the word xor'ed with {@link #repeat}{@code (b)}.
 */
public final class Words {
    public static final long ONES = 0x0101010101010101L;
    public static final long HIGHS = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Words() {
    }

    /** The eight bytes at {@code at}, the first in the lowest bits. */
    public static long at(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** The {@code n < 8} bytes at {@code at} as {@link #at} places them, the rest of the word {@code fill}. */
    public static long partial(byte[] bytes, int at, int n, int fill) {
        long w = repeat(fill);
        for (int i = 0; i < n; i++) {
            int shift = i * 8;
            w = w & ~(0xFFL << shift) | (bytes[at + i] & 0xFFL) << shift;
        }
        return w;
    }

    /** The byte b in each of the eight bytes. */
    public static long repeat(int b) {
        return (b & 0xFF) * ONES;
    }

    /**
     * The high bit of each zero byte of v, and of none if there is none. The lowest mark is exact; marks above it
     * may be false (a borrow), so callers use only whether there is one, or the lowest.
     */
    public static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    /** The index (0-7) of the byte of the lowest mark of {@link #zeroBytes}. */
    public static int firstMarked(long marks) {
        return Long.numberOfTrailingZeros(marks) >>> 3;
    }
}
