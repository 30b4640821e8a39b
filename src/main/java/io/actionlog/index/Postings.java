package io.actionlog.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * For one field, the set of ordinals holding each value.
 *
 * <p>A value's ordinals are a plain sorted {@code int[]} while that is smaller than a bitmap, and a RoaringBitmap
 * from then on. A bitmap stores 2 bytes per ordinal but some 48 bytes per 65,536-ordinal chunk that the value
 * appears in, so a value spread thinly over the whole journal (an object, an address: a few actions per chunk)
 * costs over twice as much as a bitmap as it does as an array; a frequent value (a user, an action name) is the
 * other way round. The switch happens once a value averages more than {@link #PER_CHUNK} ordinals per chunk it
 * appears in. Ordinals only ever arrive in ascending order, so the array is appended to, never sorted.
 *
 * <p>Adding one ordinal at a time to thousands of bitmaps costs a few cache misses each. While the journal is
 * replayed, adds are therefore buffered as (value, ordinal) pairs and written value by value in sorted runs when
 * the buffer fills and at {@link #flush()}; readers must not look until then (the server listens only after the
 * replay). Live writes add directly.
 */
final class Postings {
    private static final RoaringBitmap NONE = new RoaringBitmap();
    private static final int BUFFER = 1 << 16;
    /** 24 ordinals of 2 bytes in a chunk cost a bitmap's 48 bytes of chunk overhead: past that, a bitmap is smaller. */
    static final int PER_CHUNK = 24;

    /** One value's ordinals, and its place among the values with buffered adds (-1: none). */
    static final class Value {
        final String key;
        int[] small = new int[1];
        int size;
        int chunks;
        RoaringBitmap bits;
        int slot = -1;

        Value(String key) {
            this.key = key;
        }

        void add(int ordinal) {
            if (bits != null) {
                bits.add(ordinal);
                return;
            }
            int last = size == 0 ? -1 : small[size - 1];
            if (ordinal == last) {
                return; // an action naming the same parent twice
            }
            if (last < 0 || ordinal >>> 16 != last >>> 16) {
                chunks++;
            }
            if (size == small.length) {
                small = Arrays.copyOf(small, size + (size >> 1) + 1);
            }
            small[size++] = ordinal;
            if (size > PER_CHUNK * chunks) {
                bits = new RoaringBitmap();
                bits.addN(small, 0, size);
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
            RoaringBitmap r = new RoaringBitmap();
            r.addN(small, 0, size);
            return r;
        }

        void trim() {
            if (small != null && small.length > size) {
                small = Arrays.copyOf(small, size);
            }
        }

        long heapBytes() {
            return bits != null ? bits.getLongSizeInBytes() + 48 : 16 + 4L * small.length + 48;
        }
    }

    private final Map<String, Value> byValue = new HashMap<>();
    /** During a replay, the values by the journal's number for them: a replay finds most values by number. */
    private Value[] byNumber = new Value[0];
    private String[] numberedKeys = new String[0];
    private boolean buffering;
    private final List<Value> pending = new ArrayList<>();
    private int[] values = new int[0];
    private int[] ordinals = new int[0];
    private int size;

    /** Adds the ordinal under the value (nothing for no value). */
    void add(String value, int ordinal) {
        add(valueOf(value), ordinal);
    }

    /**
     * The entry of a value, made the first time the value is seen; null for no value. Replay looks values up on its
     * decoding thread and adds the ordinals on the applying thread, so the two split the work of a Created entry.
     */
    Value valueOf(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return byValue.computeIfAbsent(value, Value::new);
    }

    /**
     * As {@link #valueOf(String)}, for a value the journal numbered {@code number} (-1: none). The number is only a
     * hint: a value is taken by number when it is the very string held under that number, so a number that meant
     * another value earlier (which a torn journal tail can leave behind) falls back to the lookup by value.
     */
    Value valueOf(String value, int number) {
        if (number < 0 || value == null) {
            return valueOf(value);
        }
        // The key is compared in an array of its own: looking into the Value itself would be a cache miss per value.
        if (number < numberedKeys.length && numberedKeys[number] == value) {
            return byNumber[number];
        }
        Value v = valueOf(value);
        if (v != null && v.key == value) {
            if (number >= byNumber.length) {
                int length = Math.max(number + 1, byNumber.length * 2);
                byNumber = Arrays.copyOf(byNumber, length);
                numberedKeys = Arrays.copyOf(numberedKeys, length);
            }
            byNumber[number] = v;
            numberedKeys[number] = value;
        }
        return v;
    }

    /** Adds the ordinal under a value from {@link #valueOf} (nothing for null). */
    void add(Value v, int ordinal) {
        if (v == null) {
            return;
        }
        if (!buffering) {
            v.add(ordinal);
            return;
        }
        if (v.slot < 0) {
            v.slot = pending.size();
            pending.add(v);
        }
        values[size] = v.slot;
        ordinals[size++] = ordinal;
        if (size == BUFFER) {
            drain();
        }
    }

    /** From now until {@link #flush()}, adds are buffered (replay only). */
    void buffer() {
        buffering = true;
        values = new int[BUFFER];
        ordinals = new int[BUFFER];
    }

    void flush() {
        drain();
        byValue.values().forEach(Value::trim);
        byNumber = new Value[0];
        numberedKeys = new String[0];
        buffering = false;
        values = new int[0];
        ordinals = new int[0];
    }

    /** Groups the buffered pairs by value (a stable counting sort keeps ordinals ascending) and adds each run. */
    private void drain() {
        int distinct = pending.size();
        int[] start = new int[distinct + 1];
        for (int i = 0; i < size; i++) {
            start[values[i] + 1]++;
        }
        for (int v = 0; v < distinct; v++) {
            start[v + 1] += start[v];
        }
        int[] sorted = new int[size];
        int[] next = Arrays.copyOf(start, distinct);
        for (int i = 0; i < size; i++) {
            sorted[next[values[i]]++] = ordinals[i];
        }
        for (int v = 0; v < distinct; v++) {
            Value value = pending.get(v);
            value.addAll(sorted, start[v], start[v + 1]);
            value.slot = -1;
        }
        pending.clear();
        size = 0;
    }

    /** The ordinals with that value; callers must not modify it. */
    RoaringBitmap get(String value) {
        Value v = byValue.get(value);
        return v == null ? NONE : v.bitmap();
    }

    /** Whether the value's ordinals are held as a bitmap rather than an array (for tests). */
    boolean heldAsBitmap(String value) {
        Value v = byValue.get(value);
        return v != null && v.bits != null;
    }

    long heapBytes() {
        long bytes = 0;
        for (Map.Entry<String, Value> e : byValue.entrySet()) {
            bytes += e.getValue().heapBytes() + 56L + e.getKey().length() + 48;
        }
        return bytes;
    }

    int distinct() {
        return byValue.size();
    }
}
