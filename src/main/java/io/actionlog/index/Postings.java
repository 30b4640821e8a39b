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
 * <p>Adding one ordinal at a time to thousands of bitmaps costs a few cache misses each. While the journal is
 * replayed, adds are therefore buffered as (value, ordinal) pairs and written value by value in sorted runs when
 * the buffer fills and at {@link #flush()}; readers must not look until then (the server listens only after the
 * replay). Live writes add directly.
 */
final class Postings {
    private static final RoaringBitmap NONE = new RoaringBitmap();
    private static final int BUFFER = 1 << 16;

    /** One value's ordinals, and its place among the values with buffered adds (-1: none). */
    private static final class Value {
        final RoaringBitmap bits = new RoaringBitmap();
        int slot = -1;
    }

    private final Map<String, Value> byValue = new HashMap<>();
    private boolean buffering;
    private final List<Value> pending = new ArrayList<>();
    private int[] values = new int[0];
    private int[] ordinals = new int[0];
    private int size;

    /** Adds the ordinal under the value; true when the value is new to this field. */
    boolean add(String value, int ordinal) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        Value v = byValue.get(value);
        boolean fresh = v == null;
        if (fresh) {
            v = new Value();
            byValue.put(value, v);
        }
        if (!buffering) {
            v.bits.add(ordinal);
            return fresh;
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
        return fresh;
    }

    /** From now until {@link #flush()}, adds are buffered (replay only). */
    void buffer() {
        buffering = true;
        values = new int[BUFFER];
        ordinals = new int[BUFFER];
    }

    void flush() {
        drain();
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
            value.bits.addN(sorted, start[v], start[v + 1] - start[v]);
            value.slot = -1;
        }
        pending.clear();
        size = 0;
    }

    /** The ordinals with that value; callers must not modify it. */
    RoaringBitmap get(String value) {
        Value v = byValue.get(value);
        return v == null ? NONE : v.bits;
    }

    /** Every value with its ordinals, in no particular order; callers must not modify the bitmaps. */
    void forEach(java.util.function.BiConsumer<String, RoaringBitmap> action) {
        byValue.forEach((k, v) -> action.accept(k, v.bits));
    }

    long heapBytes() {
        long bytes = 0;
        for (Map.Entry<String, Value> e : byValue.entrySet()) {
            bytes += e.getValue().bits.getSizeInBytes() + 56L + e.getKey().length() + 48;
        }
        return bytes;
    }

    int distinct() {
        return byValue.size();
    }
}
