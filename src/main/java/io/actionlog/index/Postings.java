package io.actionlog.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * For one field, the set of ordinals holding each value.
 *
 * <p>A thin value's ordinals are held as the gaps between them, in varints (two bytes each for gaps up to 16,383),
 * and a RoaringBitmap from the point where the value averages more than {@link #PER_CHUNK} ordinals per
 * 65,536-ordinal chunk it appears in. A bitmap stores 2 bytes per ordinal plus some 48 bytes per chunk the value
 * appears in, so a value spread thinly over the whole journal (an object, an address: a few actions per chunk)
 * costs several times as much as a bitmap; a frequent value (a user, an action name) is asked for often, and its
 * bitmap is ready where the gaps would have to be decoded into one on every query. Ordinals only ever arrive in
 * ascending order, so the gaps are appended to, never sorted.
 *
 * <p>Adding one ordinal at a time to thousands of bitmaps costs a few cache misses each. While the journal is
 * replayed, adds are therefore buffered as (value, ordinal) pairs and written value by value in sorted runs when
 * the buffer fills and at {@link #flush()}; readers must not look until then (the server listens only after the
 * replay). Live writes add directly.
 */
final class Postings {
    private static final RoaringBitmap NONE = new RoaringBitmap();
    private static final int BUFFER = 1 << 16;
    /** Past 24 ordinals in a chunk, a bitmap's 48 bytes of chunk overhead are under a third of its size. */
    static final int PER_CHUNK = 24;

    /** One value's ordinals. */
    static final class Value {
        final String key;
        final int id;
        /** While thin: the gaps between ascending ordinals (the first counted from -1), as unsigned LEB128 varints. */
        byte[] small = new byte[2];
        int bytes;
        int size;
        int last = -1;
        int chunks;
        RoaringBitmap bits;

        Value(String key, int id) {
            this.key = key;
            this.id = id;
        }

        void add(int ordinal) {
            if (bits != null) {
                bits.add(ordinal);
                return;
            }
            if (ordinal == last) {
                return; // an action naming the same parent twice
            }
            if (ordinal < last) {
                // Only an action that a replay brings back from a retention placeholder comes late: gaps cannot
                // go backwards, a bitmap takes any order.
                bits = bitmap();
                small = null;
                bits.add(ordinal);
                return;
            }
            if (last < 0 || ordinal >>> 16 != last >>> 16) {
                chunks++;
            }
            if (bytes + 5 > small.length) {
                small = Arrays.copyOf(small, bytes + (bytes >> 1) + 5);
            }
            for (int gap = ordinal - last; ; gap >>>= 7) {
                if (gap < 0x80) {
                    small[bytes++] = (byte) gap;
                    break;
                }
                small[bytes++] = (byte) (gap | 0x80);
            }
            last = ordinal;
            size++;
            if (size > PER_CHUNK * chunks) {
                bits = bitmap();
                small = null;
            }
        }

        /** Adds {@code sorted[from, to)}, ascending. */
        void addAll(int[] sorted, int from, int to) {
            int i = from;
            while (i < to && bits == null) {
                add(sorted[i++]);
            }
            if (i < to) {
                bits.addN(sorted, i, to - i);
            }
        }

        RoaringBitmap bitmap() {
            if (bits != null) {
                return bits;
            }
            int[] ordinals = new int[size];
            int ordinal = -1;
            int p = 0;
            for (int i = 0; i < size; i++) {
                int gap = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = small[p++];
                    gap |= (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                ordinal += gap;
                ordinals[i] = ordinal;
            }
            RoaringBitmap r = new RoaringBitmap();
            r.addN(ordinals, 0, size);
            return r;
        }

        void trim() {
            if (small != null && small.length > bytes) {
                small = Arrays.copyOf(small, bytes);
            }
            if (bits != null) {
                bits.trim(); // containers grow their arrays ahead of need: a third of their bytes after a replay
            }
        }

        long heapBytes() {
            return bits != null ? bits.getLongSizeInBytes() + 56 : 16 + small.length + 56;
        }
    }

    private final Map<String, Value> byValue = new HashMap<>();
    /**
     * Values by a dense id of their own. The index's threads pass ids, not values: a replay's applying thread then
     * touches a value only when it writes that value's ordinals, not once per action (a cache miss each).
     */
    private Value[] byId = new Value[16];
    private int distinct;
    /** Value ids by the journal's number for the value: replay and live writes find most values by number. */
    private int[] idByNumber = new int[0];
    private String[] numberedKeys = new String[0];
    /** The adds of a replay, until {@link #flush()}; null otherwise. */
    private Buffered buffered;
    /**
     * The ordinals with no value (an action recorded without an object, an address or a method), which a filter for
     * the empty text asks for. Never interned as a value, so sorts and counts of values are as without it. Ordinals
     * arrive ascending, so its adds are appends; it costs at most a bit an ordinal, however many have no value.
     */
    private final RoaringBitmap none = new RoaringBitmap();

    /** Adds the ordinal under the value (nothing for no value). */
    void add(String value, int ordinal) {
        add(idOf(value), ordinal);
    }

    /**
     * The id of a value, made the first time the value is seen; -1 for no value. Replay looks values up on its
     * decoding thread and adds the ordinals on the applying thread, so the two split the work of a Created entry.
     */
    int idOf(String value) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        Value v = byValue.get(value);
        if (v == null) {
            v = new Value(value, distinct);
            byValue.put(value, v);
            if (distinct == byId.length) {
                byId = Arrays.copyOf(byId, distinct * 2);
            }
            byId[distinct++] = v;
            return distinct - 1;
        }
        return v.id;
    }

    /**
     * As {@link #idOf(String)}, for a value the journal numbered {@code number} (-1: none). The number is only a
     * hint: a value is taken by number when it equals the value last seen under that number, so a number that
     * meant another value earlier (which a torn journal tail can leave behind) falls back to the lookup by value.
     * Comparing costs less than hashing: a live write's strings are fresh from the request, their hashes not yet
     * computed, and a replay's are the very strings held here, which compare by identity.
     */
    int idOf(String value, int number) {
        if (number < 0 || value == null) {
            return idOf(value);
        }
        if (number < numberedKeys.length && value.equals(numberedKeys[number])) {
            return idByNumber[number];
        }
        int id = idOf(value);
        if (id >= 0) {
            if (number >= idByNumber.length) {
                int length = Math.max(number + 1, idByNumber.length * 2);
                idByNumber = Arrays.copyOf(idByNumber, length);
                numberedKeys = Arrays.copyOf(numberedKeys, length);
            }
            idByNumber[number] = id;
            numberedKeys[number] = byId[id].key; // equal to value, and already held
        }
        return id;
    }

    /** Adds the ordinal under a value id from {@link #idOf} (-1: under no value). */
    void add(int id, int ordinal) {
        if (id < 0) {
            none.add(ordinal);
            return;
        }
        if (buffered == null) {
            byId[id].add(ordinal);
        } else {
            buffered.add(id, ordinal, byId);
        }
    }

    /** From now until {@link #flush()}, adds are buffered (replay only). */
    void buffer() {
        buffered = new Buffered();
    }

    void flush() {
        if (buffered != null) {
            buffered.drain(byId);
        }
        byValue.values().forEach(Value::trim);
        none.runOptimize();
        buffered = null;
    }

    /**
     * A replay's buffered adds. Its own object, not fields of the postings: the applying thread writes it at every
     * add while the decoding thread reads the postings' ids by number ({@link #idOf(String, int)}), and fields of one
     * object would share a cache line that the two cores then pass back and forth at every entry.
     */
    private static final class Buffered {
        /** Each value's place among the values with buffered adds (-1: none), and those values. */
        private int[] slotOf = new int[0];
        private int[] pending = new int[16];
        private int pendingCount;
        private final int[] values = new int[BUFFER];
        private final int[] ordinals = new int[BUFFER];
        private int size;

        void add(int id, int ordinal, Value[] byId) {
            if (id >= slotOf.length) {
                int old = slotOf.length;
                slotOf = Arrays.copyOf(slotOf, Math.max(id + 1, old * 2));
                Arrays.fill(slotOf, old, slotOf.length, -1);
            }
            int slot = slotOf[id];
            if (slot < 0) {
                if (pendingCount == pending.length) {
                    pending = Arrays.copyOf(pending, pendingCount * 2);
                }
                slot = pendingCount;
                slotOf[id] = slot;
                pending[pendingCount++] = id;
            }
            values[size] = slot;
            ordinals[size++] = ordinal;
            if (size == BUFFER) {
                drain(byId);
            }
        }

        /** Groups the pairs by value (a stable counting sort keeps ordinals ascending) and adds each run. */
        void drain(Value[] byId) {
            int count = pendingCount;
            int[] start = new int[count + 1];
            for (int i = 0; i < size; i++) {
                start[values[i] + 1]++;
            }
            for (int v = 0; v < count; v++) {
                start[v + 1] += start[v];
            }
            int[] sorted = new int[size];
            int[] next = Arrays.copyOf(start, count);
            for (int i = 0; i < size; i++) {
                sorted[next[values[i]]++] = ordinals[i];
            }
            for (int v = 0; v < count; v++) {
                byId[pending[v]].addAll(sorted, start[v], start[v + 1]);
                slotOf[pending[v]] = -1;
            }
            pendingCount = 0;
            size = 0;
        }
    }

    /** The ordinals with that value (the empty text: those with none); callers must not modify it. */
    RoaringBitmap get(String value) {
        if (value.isEmpty()) {
            return none;
        }
        Value v = byValue.get(value);
        return v == null ? NONE : v.bitmap();
    }

    /** Whether the value's ordinals are held as a bitmap rather than an array (for tests). */
    boolean heldAsBitmap(String value) {
        Value v = byValue.get(value);
        return v != null && v.bits != null;
    }

    long heapBytes() {
        long bytes = none.getLongSizeInBytes();
        for (Map.Entry<String, Value> e : byValue.entrySet()) {
            bytes += e.getValue().heapBytes() + 56L + e.getKey().length() + 48;
        }
        return bytes;
    }

    int distinct() {
        return distinct;
    }
}
