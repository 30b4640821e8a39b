package io.actionlog.index;

import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/** For one field, the set of ordinals holding each value. */
final class Postings {
    private static final RoaringBitmap NONE = new RoaringBitmap();

    private final Map<String, RoaringBitmap> byValue = new HashMap<>();

    /** Adds the ordinal under the value; true when the value is new to this field. */
    boolean add(String value, int ordinal) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        RoaringBitmap set = byValue.get(value);
        boolean fresh = set == null;
        if (fresh) {
            set = new RoaringBitmap();
            byValue.put(value, set);
        }
        set.add(ordinal);
        return fresh;
    }

    /** The ordinals with that value; callers must not modify it. */
    RoaringBitmap get(String value) {
        return byValue.getOrDefault(value, NONE);
    }

    Map<String, RoaringBitmap> all() {
        return byValue;
    }

    long heapBytes() {
        long bytes = 0;
        for (Map.Entry<String, RoaringBitmap> e : byValue.entrySet()) {
            bytes += e.getValue().getSizeInBytes() + 40L + e.getKey().length() + 48;
        }
        return bytes;
    }

    int distinct() {
        return byValue.size();
    }

    void optimize() {
        byValue.values().forEach(RoaringBitmap::runOptimize);
    }
}
