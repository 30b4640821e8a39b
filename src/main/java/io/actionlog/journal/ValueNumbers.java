package io.actionlog.journal;

import io.actionlog.action.ActionField;
import java.util.Arrays;

/**
 * The journal's numbers for the repeated values of the Created entry just decoded (see {@link ValueTable}), so a
 * replay consumer can find what it keeps per value by number instead of hashing the value again. A number of -1
 * means the value had none (null, or written in full). One instance is refilled for every entry: it is valid only
 * during the {@link Journal.EntryConsumer#accept(long, Entry, ValueNumbers)} call it is passed to.
 */
public final class ValueNumbers {
    /** For entries that are not a Created entry, and for journals read without numbers. */
    public static final ValueNumbers NONE = new ValueNumbers();
    private static final int NONE_NUMBERED = -1;

    /**
     * The table the numbers of an appended entry were given from, so the writer can copy each value's UTF-8 as the
     * journal keeps it (see {@link #utf8}); null for numbers decoded by a replay.
     */
    private ValueTable table;
    /** Indexed by {@link ActionField#ordinal()}; parents have their own array. */
    private final int[] numbers = new int[ActionField.values().length];
    private int[] parents = new int[4];
    /** Parents from this one on have no number, whatever the array still holds from an earlier entry. */
    private int parentCount;

    public ValueNumbers() {
        clear();
    }

    /** The number of this field's value (one whose values {@link ActionField#repeated()}), or -1. */
    public int of(ActionField field) {
        return numbers[field.ordinal()];
    }

    /** The number of the i-th parent, or -1. */
    public int parent(int i) {
        return i < parentCount ? parents[i] : NONE_NUMBERED;
    }

    /**
     * The UTF-8 of this field's value as the journal keeps it by its number, or null when the value has no number or
     * these numbers were decoded. For the writer, right after it appended the entry: later appends may take the
     * number back (a write that failed) or give it.
     */
    public byte[] utf8(ActionField field) {
        int n = numbers[field.ordinal()];
        return n < 0 || table == null ? null : table.utf8(field, n);
    }

    /** Whether the value {@link #utf8} gives needs no escape in a JSON string. */
    public boolean plain(ActionField field) {
        return table.plain(field, numbers[field.ordinal()]);
    }

    /** As {@link #utf8} for the i-th parent. */
    public byte[] parentUtf8(int i) {
        int n = parent(i);
        return n < 0 || table == null ? null : table.utf8(ActionField.PARENTS, n);
    }

    /** As {@link #plain} for the i-th parent. */
    public boolean parentPlain(int i) {
        return table.plain(ActionField.PARENTS, parent(i));
    }

    /** The numbers about to be filled by an append are given from {@code values}. */
    void givenBy(ValueTable values) {
        table = values;
    }

    void clear() {
        Arrays.fill(numbers, NONE_NUMBERED);
        Arrays.fill(parents, NONE_NUMBERED);
        parentCount = 0;
    }

    /**
     * Starts a decoded entry's numbers without {@link #clear()}ing them (a fill per entry that was a tenth of the
     * decoding thread): the decoder then sets every repeated field and each of the {@code count} parents, -1 where a
     * value has no number.
     */
    void startDecoded(int count) {
        ensureParents(count);
        parentCount = count;
    }

    void set(ActionField field, int number) {
        numbers[field.ordinal()] = number;
    }

    void setParent(int index, int number) {
        ensureParents(index + 1);
        parents[index] = number;
        parentCount = Math.max(parentCount, index + 1);
    }

    private void ensureParents(int count) {
        if (count > parents.length) {
            int old = parents.length;
            parents = Arrays.copyOf(parents, Math.max(count, old * 2));
            Arrays.fill(parents, old, parents.length, NONE_NUMBERED);
        }
    }
}
