package io.actionlog.action;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.Arrays;

/**
 * The distinct member names of one JSON object, in the order given. A request object has a score of members, so
 * they sit in an array and are found by a scan of their hashes, cheaper than a hash map; past {@link #SCANNED}
 * names a hash map takes over, so that a body with many thousands of names costs linear time, not quadratic.
 * {@link #SCANNED} is above the 17 to 20 members of an action that gives every field (a bulk line, an export line),
 * for which a map was built and filled once per line.
 */
final class MemberNames {
    static final int SCANNED = 32;
    private String[] names = new String[8];
    private int[] hashes = new int[8];
    private Object2IntOpenHashMap<String> index;
    private int size;

    /** Adds a name and returns its position; -1, leaving everything as it was, when it is already there. */
    int add(String name) {
        if (indexOf(name) >= 0) {
            return -1;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size] = name.hashCode();
        names[size] = name;
        if (index != null) {
            index.put(name, size);
        } else if (size == SCANNED) {
            index = new Object2IntOpenHashMap<>(2 * SCANNED + 2);
            index.defaultReturnValue(-1);
            for (int i = 0; i <= size; i++) {
                index.put(names[i], i);
            }
        }
        return size++;
    }

    int indexOf(String name) {
        if (index != null) {
            return index.getInt(name);
        }
        // Member names and the literal names asked for both keep their hash once computed.
        int hash = name.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                return i;
            }
        }
        return -1;
    }

    String get(int i) {
        return names[i];
    }

    int size() {
        return size;
    }
}
