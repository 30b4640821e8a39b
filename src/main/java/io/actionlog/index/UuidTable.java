package io.actionlog.index;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * uuid -> ordinal, as an open-addressing table of ordinals keyed by the uuid's high half. Only that half is kept
 * in memory (the {@code high} column, which also serves prefix search); the low half is in the journal, so a hit
 * is a <em>candidate</em> that the caller confirms against the stored entry. The table holds one ordinal per high
 * half. Uuids agreeing in all 64 high bits are rare among random ones but common among made ones (Python's
 * {@code UUID(int=pk)} has a high half of 0 up to 2^64): each later one is kept by its whole uuid in a map of its
 * own, so that a lookup never walks, nor confirms against the journal, all the actions that share a high half.
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
    /** Ordinals whose high half the table has for another ordinal, by their whole uuid. */
    private final Map<UUID, Integer> crowded = new HashMap<>();
    /** As {@link #crowded}, found when the table was built after a replay, before {@link #resolve} read their uuids. */
    private final Map<Long, IntArrayList> unresolved = new HashMap<>();

    void add(int ordinal, UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        high.set(ordinal, msb);
        if (!absent.isEmpty() && absent.checkedRemove(ordinal) && !buffering) {
            place(ordinal, uuid); // a placeholder brought back: counted when it was added
            return;
        }
        if (buffering) {
            size = Math.max(size, ordinal + 1);
            return;
        }
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        place(ordinal, uuid);
        size++;
    }

    private void place(int ordinal, UUID uuid) {
        int other = insertFirst(slots, ordinal, uuid.getMostSignificantBits());
        if (other >= 0 && other != ordinal) {
            crowded.put(uuid, ordinal);
        }
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

    /** Ordinals whose uuid may be this one, in creation order: at most two, but for high halves not yet resolved. */
    int[] candidates(UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        IntArrayList found = new IntArrayList(2);
        int mask = slots.length - 1;
        for (int i = hash(msb) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            int ordinal = slots[i] - 1;
            if (high.get(ordinal) == msb) {
                found.add(ordinal);
                break;
            }
        }
        Integer other = crowded.get(uuid);
        if (other != null) {
            found.add(other.intValue());
        }
        IntArrayList waiting = unresolved.get(msb);
        if (waiting != null) {
            found.addAll(waiting);
        }
        int[] sorted = found.toIntArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Reads the uuids of the ordinals the building of the table found sharing a high half ({@code uuidOf}: one
     * journal read each, once), so that their lookups are as cheap as any other's. Returns how many it read.
     */
    int resolve(IntFunction<UUID> uuidOf) {
        int n = 0;
        for (IntArrayList ordinals : unresolved.values()) {
            for (int i = 0; i < ordinals.size(); i++) {
                crowded.put(uuidOf.apply(ordinals.getInt(i)), ordinals.getInt(i));
                n++;
            }
        }
        unresolved.clear();
        return n;
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
            long msb = high.get(o);
            if (insertFirst(table, o, msb) >= 0) {
                unresolved.computeIfAbsent(msb, k -> new IntArrayList()).add(o);
            }
        }
        slots = table;
    }

    long heapBytes() {
        // A map entry, its boxed key and value: about 100 bytes a crowded uuid.
        return slots.length * 4L + high.heapBytes() + crowded.size() * 100L;
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

    /** Inserts unless the table has an ordinal of this high half: returns that ordinal, or -1 once inserted. */
    private int insertFirst(int[] table, int ordinal, long msb) {
        int mask = table.length - 1;
        int i = hash(msb) & mask;
        while (table[i] != EMPTY) {
            int other = table[i] - 1;
            if (high.get(other) == msb) {
                return other;
            }
            i = (i + 1) & mask;
        }
        table[i] = ordinal + 1;
        return -1;
    }

    private static int hash(long msb) {
        long h = msb * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
