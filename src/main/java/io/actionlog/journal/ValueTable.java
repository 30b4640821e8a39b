package io.actionlog.journal;

import io.actionlog.action.ActionField;
import io.actionlog.bytes.JsonEscapes;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.Arrays;

/**
 * The numbers of the values that repeat from action to action (users, action names, objects, addresses, user
 * agents, ...). {@link EntryCodec} writes such a value in full once, in the first entry that uses it, together with
 * the number it gets; later entries carry only the number. That keeps a typical action's entry a third smaller and
 * lets replay and reads share one {@code String} per value instead of decoding it from UTF-8 every time.
 *
 * <p>The fields are those {@link ActionField#repeated()} says repeat; each has numbers of its own, counted from 0.
 * A field stops taking new values at {@link #MAX_VALUES}, and values longer than
 * {@link #MAX_LENGTH} chars or holding surrogates are never numbered: those are written in full every time.
 *
 * <p>Threads. The writer thread assigns numbers while it encodes ({@link #assign}) and confirms or undoes them once
 * it knows whether the entries were written ({@link #commit}, {@link #rollback}); replay learns them from the
 * entries that define them ({@link #learn}) before the writer starts. Readers on any thread look numbers up
 * ({@link #value}) without a lock: they only decode entries the journal has published through its volatile size,
 * which the writer sets after the numbers those entries use were stored.
 */
final class ValueTable {
    /** Tables are indexed by {@link ActionField#ordinal()}; fields that do not repeat have none. */
    private static final int FIELDS = ActionField.values().length;
    /** What {@link #numberOf} and {@link #assign} return for a value without a number. */
    static final int NO_NUMBER = -1;
    static final int MAX_VALUES = 1 << 20;
    static final int MAX_LENGTH = 512;

    private final String[][] values = new String[FIELDS][];
    /** Each value's UTF-8, encoded once, for writers of JSON that copy bytes (list pages). */
    private final byte[][][] utf8 = new byte[FIELDS][][];
    /**
     * That UTF-8's length and whether it can go into a JSON string as it is (see {@link JsonEscapes}), as
     * {@code length << 1 | plain}: kept beside the arrays so that a reader learns both without touching the value's
     * bytes, which lie anywhere in the heap (verify reads millions of entries and mostly copies kept members).
     */
    private final int[][] shapes = new int[FIELDS][];
    private final int[] counts = new int[FIELDS];
    private final Object2IntOpenHashMap<String>[] numbers;
    /** Fields of the numbers assigned since the last commit, in order, so they can be taken back. */
    private ActionField[] assigned = new ActionField[64];
    private int pending;

    @SuppressWarnings("unchecked")
    ValueTable() {
        numbers = new Object2IntOpenHashMap[FIELDS];
        for (ActionField field : ActionField.values()) {
            if (!field.repeated()) {
                continue;
            }
            int f = field.ordinal();
            values[f] = new String[16];
            utf8[f] = new byte[16][];
            shapes[f] = new int[16];
            numbers[f] = new Object2IntOpenHashMap<>();
            numbers[f].defaultReturnValue(NO_NUMBER);
        }
    }

    /** The number of a value already numbered in this field, or -1. Writer thread. */
    int numberOf(ActionField field, String value) {
        return numbers[field.ordinal()].getInt(value);
    }

    /** Gives the value the field's next number and returns it, or -1 if it is not to be numbered. Writer thread. */
    int assign(ActionField field, String value) {
        int f = field.ordinal();
        if (counts[f] >= MAX_VALUES || value.length() > MAX_LENGTH || hasSurrogate(value)) {
            return NO_NUMBER;
        }
        int n = counts[f];
        store(f, n, value);
        if (pending == assigned.length) {
            assigned = Arrays.copyOf(assigned, pending * 2);
        }
        assigned[pending++] = field;
        return n;
    }

    /** A mark to {@link #rollback} to: the numbers assigned so far and not yet committed. */
    int mark() {
        return pending;
    }

    /** The assignments since the last commit have been written. */
    void commit() {
        pending = 0;
    }

    /** Takes back the numbers assigned after the mark, newest first, because the entries using them were not written. */
    void rollback(int mark) {
        while (pending > mark) {
            int field = assigned[--pending].ordinal();
            int n = --counts[field];
            numbers[field].removeInt(values[field][n]);
            values[field][n] = null;
            utf8[field][n] = null;
            shapes[field][n] = 0;
        }
    }

    /**
     * Replay met the entry that defines number {@code n}: remembers it if it is new and returns the value to use.
     * Numbers skipped by entries that did not decode stay unknown, so the entries that use them do not decode either,
     * while every other number keeps its meaning.
     */
    String learn(ActionField field, int n, String value) {
        int f = field.ordinal();
        if (n < 0 || n >= MAX_VALUES) {
            throw new CorruptEntryException("value number " + n + " is out of range");
        }
        if (n < counts[f]) {
            String known = values[f][n];
            return value.equals(known) ? known : value;
        }
        store(f, n, value);
        return value;
    }

    /** The value with that number; a number nothing defined makes the entry corrupt. Any thread. */
    String value(ActionField field, int n) {
        String[] table = values[field.ordinal()];
        String v = n >= 0 && n < table.length ? table[n] : null;
        if (v == null) {
            throw new CorruptEntryException("value number " + n + " of " + field.apiName() + " is not defined");
        }
        return v;
    }

    /** The value with that number, or null when no entry defined it (one that did not decode). */
    String known(ActionField field, int n) {
        String[] table = values[field.ordinal()];
        return n >= 0 && n < table.length ? table[n] : null;
    }

    /** The UTF-8 of the value with that number; as {@link #value}. */
    byte[] utf8(ActionField field, int n) {
        byte[][] table = utf8[field.ordinal()];
        byte[] v = n >= 0 && n < table.length ? table[n] : null;
        if (v == null) {
            throw new CorruptEntryException("value number " + n + " of " + field.apiName() + " is not defined");
        }
        return v;
    }

    /**
     * {@code length << 1 | plain} of the value with that number (its UTF-8's length, {@link #plain}); a number nothing
     * defined makes the entry corrupt. Every defined value's is at least 1 (the empty string needs no escape).
     */
    int shape(ActionField field, int n) {
        int[] table = shapes[field.ordinal()];
        int shape = n >= 0 && n < table.length ? table[n] : 0;
        if (shape == 0) {
            throw new CorruptEntryException("value number " + n + " of " + field.apiName() + " is not defined");
        }
        return shape;
    }

    /** Whether the value with that number needs no escape in JSON ({@link JsonEscapes#none}); as {@link #value}. */
    boolean plain(ActionField field, int n) {
        return (shapes[field.ordinal()][n] & 1) != 0;
    }

    int count(ActionField field) {
        return counts[field.ordinal()];
    }

    private void store(int field, int n, String value) {
        String[] table = values[field];
        byte[][] bytes = utf8[field];
        int[] shape = shapes[field];
        if (n >= table.length) {
            table = Arrays.copyOf(table, Math.max(n + 1, table.length * 2));
            bytes = Arrays.copyOf(bytes, table.length);
            shape = Arrays.copyOf(shape, table.length);
        }
        table[n] = value;
        bytes[n] = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        shape[n] = bytes[n].length << 1 | (JsonEscapes.none(bytes[n], 0, bytes[n].length) ? 1 : 0);
        utf8[field] = bytes;
        shapes[field] = shape;
        values[field] = table;
        numbers[field].put(value, n);
        counts[field] = n + 1;
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
