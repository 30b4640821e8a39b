package io.actionlog.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of one JSON request object, in the order given, each value a tree: what {@link Fields} reads. A
 * request has a score of members at most, so they sit in arrays and are found by a scan of their hashes, which costs
 * less than the hash map of a tree's object node.
 * Filled once by whoever reads the object ({@link #add}), then only read.
 */
public final class Members {
    private String[] names = new String[20];
    private JsonNode[] values = new JsonNode[20];
    private int[] hashes = new int[20];
    private int size;
    private final Set<String> nameSet = new Names();

    /** The members of a parsed value; null when it is not an object. */
    public static Members of(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Members m = new Members();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.add(e.getKey(), e.getValue());
        }
        return m;
    }

    /** Adds a member; false, leaving everything as it was, when the name is already there. */
    public boolean add(String name, JsonNode value) {
        if (indexOf(name) >= 0) {
            return false;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size] = name.hashCode();
        names[size] = name;
        values[size++] = value;
        return true;
    }

    /** The value of the member with that name, or null when there is none. */
    public JsonNode get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** The names, in the order given; a read-only view. */
    public Set<String> names() {
        return nameSet;
    }

    private int indexOf(String name) {
        // One pass over the hashes, which member names and the literal names asked for both keep once computed.
        int hash = name.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                return i;
            }
        }
        return -1;
    }

    private final class Names extends AbstractSet<String> {
        @Override
        public boolean contains(Object o) {
            return o instanceof String s && indexOf(s) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public String next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    return names[next++];
                }
            };
        }
    }
}
