package io.actionlog.index;

import java.util.Arrays;

/**
 * uuid -> ordinal, as an open-addressing table of ordinals keyed by the uuid's high half. Only that half is kept
 * in memory (the {@code high} column, which also serves prefix search); the low half is in the journal, so a hit
 * is a <em>candidate</em> that the caller confirms against the stored entry. Two uuids agreeing in all 64 high
 * bits are rare but possible (time-ordered uuids made in the same millisecond), so lookups return every one.
 */
final class UuidTable {
    private static final int EMPTY = 0;

    private final Columns.Longs high = new Columns.Longs();
    private int[] slots = new int[1 << 10];
    private int size;

    void add(int ordinal, long msb) {
        high.set(ordinal, msb);
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        insert(slots, ordinal, msb);
        size++;
    }

    long high(int ordinal) {
        return high.get(ordinal);
    }

    /** Ordinals whose uuid has this high half, in creation order. */
    int[] candidates(long msb) {
        int[] found = new int[0];
        int mask = slots.length - 1;
        for (int i = hash(msb) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            int ordinal = slots[i] - 1;
            if (high.get(ordinal) == msb) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = ordinal;
            }
        }
        Arrays.sort(found);
        return found;
    }

    long heapBytes() {
        return slots.length * 4L + high.heapBytes();
    }

    private void grow() {
        int[] bigger = new int[slots.length * 2];
        for (int s : slots) {
            if (s != EMPTY) {
                insert(bigger, s - 1, high.get(s - 1));
            }
        }
        slots = bigger;
    }

    private static void insert(int[] table, int ordinal, long msb) {
        int mask = table.length - 1;
        int i = hash(msb) & mask;
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = ordinal + 1;
    }

    private static int hash(long msb) {
        long h = msb * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
