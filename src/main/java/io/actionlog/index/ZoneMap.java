package io.actionlog.index;

import io.actionlog.journal.Entry;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * Minimum and maximum of a time column per block of 1024 ordinals. Actions are recorded roughly in time order,
 * so a time range covers whole blocks except near its two edges: those are taken wholesale and only the edge
 * blocks are scanned. Out-of-order data stays correct, it just scans more blocks.
 */
final class ZoneMap {
    static final int BLOCK_BITS = 10;
    private static final int BLOCK = 1 << BLOCK_BITS;

    private final Columns.Times column;
    private long[] min = new long[0];
    private long[] max = new long[0];
    private int[] set = new int[0];

    ZoneMap(Columns.Times column) {
        this.column = column;
    }

    /** Records that {@code column[ordinal]} now holds a time (set once per ordinal). */
    void include(int ordinal, long value) {
        int b = ordinal >>> BLOCK_BITS;
        if (b >= min.length) {
            int n = Math.max(b + 1, min.length * 2);
            int old = min.length;
            min = Arrays.copyOf(min, n);
            max = Arrays.copyOf(max, n);
            set = Arrays.copyOf(set, n);
            Arrays.fill(min, old, n, Long.MAX_VALUE);
            Arrays.fill(max, old, n, Long.MIN_VALUE);
        }
        min[b] = Math.min(min[b], value);
        max[b] = Math.max(max[b], value);
        set[b]++;
    }

    /** Ordinals below {@code size} whose time t satisfies from <= t < to. */
    RoaringBitmap range(long from, long to, int size) {
        RoaringBitmap out = new RoaringBitmap();
        int blocks = Math.min(min.length, (size + BLOCK - 1) >>> BLOCK_BITS);
        for (int b = 0; b < blocks; b++) {
            if (set[b] == 0 || max[b] < from || min[b] >= to) {
                continue;
            }
            int first = b << BLOCK_BITS;
            int end = Math.min(first + BLOCK, size);
            if (min[b] >= from && max[b] < to && set[b] == end - first) {
                out.add((long) first, (long) end);
            } else {
                scan(first, end, from, to, out);
            }
        }
        return out;
    }

    private void scan(int first, int end, long from, long to, RoaringBitmap out) {
        for (int i = first; i < end; i++) {
            long t = column.get(i);
            if (t != Entry.NO_TIME && t >= from && t < to) {
                out.add(i);
            }
        }
    }
}
