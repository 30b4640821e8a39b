package io.actionlog.action;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of one JSON request object, in the order given: what {@link Fields} reads. Filled once by whoever
 * reads the object ({@link #add}), then only read.
 */
public final class Members {
    private final MemberNames names = new MemberNames();
    private JsonValue[] values = new JsonValue[8];
    private final Set<String> nameSet = new Names();

    /** Adds a member; false, leaving everything as it was, when the name is already there. */
    public boolean add(String name, JsonValue value) {
        int i = names.add(name);
        if (i < 0) {
            return false;
        }
        if (i == values.length) {
            values = Arrays.copyOf(values, i * 2);
        }
        values[i] = value;
        return true;
    }

    /** The value of the member with that name, or null when there is none. */
    public JsonValue get(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** The names, in the order given; a read-only view. */
    public Set<String> names() {
        return nameSet;
    }

    private final class Names extends AbstractSet<String> {
        @Override
        public boolean contains(Object o) {
            return o instanceof String s && names.indexOf(s) >= 0;
        }

        @Override
        public int size() {
            return names.size();
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < names.size();
                }

                @Override
                public String next() {
                    if (next >= names.size()) {
                        throw new NoSuchElementException();
                    }
                    return names.get(next++);
                }
            };
        }
    }
}
