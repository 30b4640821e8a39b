package io.actionlog.action;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Names drawn from a fixed list, held as one bit each. A recorded action's supplied fields are built on an event
 * loop and read on the writer thread (is a uuid given?); a set that still pointed into the request's parse cost
 * the writer a few cache misses per action, where this is one object of two fields. Read-only.
 */
final class FieldSet extends AbstractSet<String> {
    private final String[] names;
    private final long bits;

    private FieldSet(String[] names, long bits) {
        this.names = names;
        this.bits = bits;
    }

    /** Every given name, each of which must be one of {@code names}; see the next. */
    static FieldSet of(String[] names, Iterable<String> given, Function<String, RuntimeException> unknown) {
        return of(names, given, name -> true, unknown);
    }

    /**
     * The given names for which {@code kept} holds, each given name being one of {@code names} (at most 64): the
     * first that is not is thrown as {@code unknown} makes it. Checking and collecting are one pass over the given
     * names.
     */
    static FieldSet of(String[] names, Iterable<String> given, Predicate<String> kept,
                       Function<String, RuntimeException> unknown) {
        long bits = 0;
        for (String name : given) {
            int i = indexOf(names, name);
            if (i < 0) {
                throw unknown.apply(name);
            }
            if (kept.test(name)) {
                bits |= 1L << i;
            }
        }
        return new FieldSet(names, bits);
    }

    @Override
    public boolean contains(Object o) {
        int i = o instanceof String s ? indexOf(names, s) : -1;
        return i >= 0 && (bits & 1L << i) != 0;
    }

    @Override
    public int size() {
        return Long.bitCount(bits);
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private long left = bits;

            @Override
            public boolean hasNext() {
                return left != 0;
            }

            @Override
            public String next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                int i = Long.numberOfTrailingZeros(left);
                left &= left - 1;
                return names[i];
            }
        };
    }

    /**
     * Names read by the JSON parser are interned, as the literals of the list are: the same instance is looked for
     * first, so that the usual name costs no {@code equals} on the names before it.
     */
    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
