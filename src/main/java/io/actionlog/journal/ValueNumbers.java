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
