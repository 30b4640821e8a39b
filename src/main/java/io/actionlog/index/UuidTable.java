package io.actionlog.index;

import java.util.Arrays;

/**
 * uuid -> ordinal, as an open-addressing table of ordinals keyed by the uuid's high half. Only that half is kept
 * in memory (the {@code high} column, which also serves prefix search); the low half is in the journal, so a hit
 * is a <em>candidate</em> that the caller confirms against the stored entry. Two uuids agreeing in all 64 high
 * bits are rare but possible (time-ordered uuids made in the same millisecond), so lookups return every one.
 *
 * <p>Inserting ordinals one by one lands each in a random slot of a table far larger than the CPU caches; that
 * miss was a third of the replay's applying thread. While the journal is replayed, adds therefore only fill the
 * column, and {@link #flush()} builds the table in one pass, in slot order.
 */
final class UuidTable {
    private static final int EMPTY = 0;
    /** Regions of the table for {@link #flush()}: enough that one region's slots stay in the CPU cache. */
    private static final int REGION_BITS = 12;

    private final Columns.Longs high = new Columns.Longs();
    private int[] slots = new int[1 << 10];
    private int size;
    private boolean buffering;
    /** Ordinals added without a uuid ({@link #addAbsent}), in no slot. */
    private final org.roaringbitmap.RoaringBitmap absent = new org.roaringbitmap.RoaringBitmap();

    void add(int ordinal, long msb) {
        high.set(ordinal, msb);
        if (!absent.isEmpty() && absent.checkedRemove(ordinal) && !buffering) {
            insert(slots, ordinal, msb); // a placeholder brought back: counted when it was added
            return;
        }
        if (buffering) {
            size = Math.max(size, ordinal + 1);
            return;
        }
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        insert(slots, ordinal, msb);
        size++;
    }

    /**
     * An ordinal with no uuid (retention's placeholder for an id whose entries were dropped): it takes no slot, since
     * a table slot per placeholder, all of one key, would make every insert walk them all.
     */
    void addAbsent(int ordinal) {
        high.set(ordinal, 0);
        absent.add(ordinal);
        size = buffering ? Math.max(size, ordinal + 1) : size + 1;
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

    /** From now until {@link #flush()}, adds only fill the column; ordinals must then be 0, 1, 2, ... (replay). */
    void buffer() {
        buffering = true;
    }

    /**
     * Puts every ordinal added since {@link #buffer()} into the table. The ordinals are first grouped by the region
     * of the table their home slot is in (a counting sort), so that the inserts walk the table once, front to back.
     */
    void flush() {
        if (!buffering) {
            return;
        }
        buffering = false;
        int capacity = slots.length;
        while (size * 4L > capacity * 3L) {
            capacity *= 2;
        }
        int[] table = new int[capacity];
        int shift = Math.max(0, Integer.numberOfTrailingZeros(capacity) - REGION_BITS);
        int regions = capacity >>> shift;
        int mask = capacity - 1;
        int[] start = new int[regions + 1];
        for (int o = 0; o < size; o++) {
            if (!absent.contains(o)) {
                start[((hash(high.get(o)) & mask) >>> shift) + 1]++;
            }
        }
        for (int r = 0; r < regions; r++) {
            start[r + 1] += start[r];
        }
        int[] ordered = new int[start[regions]];
        for (int o = 0; o < size; o++) {
            if (!absent.contains(o)) {
                ordered[start[(hash(high.get(o)) & mask) >>> shift]++] = o;
            }
        }
        for (int o : ordered) {
            insert(table, o, high.get(o));
        }
        slots = table;
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
