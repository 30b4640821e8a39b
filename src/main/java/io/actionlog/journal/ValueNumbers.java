package io.actionlog.journal;

import java.util.Arrays;

/**
 * The journal's numbers for the repeated values of the Created entry just decoded (see {@link ValueTable}), so a
 * replay consumer can find what it keeps per value by number instead of hashing the value again. A number of -1
 * means the value had none (null, or written in full). One instance is refilled for every entry: it is valid only
 * during the {@link Journal.EntryConsumer#accept(long, Entry, ValueNumbers)} call it is passed to.
 */
public final class ValueNumbers {
    public static final int USER = ValueTable.USER;
    public static final int ACTION = ValueTable.ACTION;
    public static final int METHOD = ValueTable.METHOD;
    public static final int OBJECT = ValueTable.OBJECT;
    public static final int IP = ValueTable.IP;
    /** For entries that are not a Created entry, and for journals read without numbers. */
    public static final ValueNumbers NONE = new ValueNumbers();

    private final int[] numbers = new int[ValueTable.FIELDS];
    private int[] parents = new int[4];

    public ValueNumbers() {
        clear();
    }

    /** The number of this field's value (one of the constants above), or -1. */
    public int of(int field) {
        return numbers[field];
    }

    /** The number of the i-th parent, or -1. */
    public int parent(int i) {
        return i < parents.length ? parents[i] : -1;
    }

    void clear() {
        Arrays.fill(numbers, -1);
        Arrays.fill(parents, -1);
    }

    void set(int field, int index, int number) {
        if (field != ValueTable.PARENT) {
            numbers[field] = number;
            return;
        }
        if (index >= parents.length) {
            int old = parents.length;
            parents = Arrays.copyOf(parents, Math.max(index + 1, old * 2));
            Arrays.fill(parents, old, parents.length, -1);
        }
        parents[index] = number;
    }
}
