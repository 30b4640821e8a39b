package io.actionlog.journal;

import io.actionlog.action.ActionField;

/**
 * A Created entry read for rendering, without decoding its strings: each string field is a slice of UTF-8 bytes
 * (of the entry itself, or of the value's bytes kept by the journal for a repeated value), so a JSON writer can
 * copy it out as it is. Filled by {@link Journal#readCreated}. Every field whose value is one text is kept, by its
 * {@link ActionField}, the logs included (which only an export shows); logs, error and metadata are as recorded,
 * which later entries may have extended or replaced.
 */
public final class CreatedBytes {
    /** Slices are indexed by {@link ActionField#ordinal()}; fields that are not one text have none. */
    private static final int FIELDS = ActionField.values().length;
    /** The length a slice is given for a null value. */
    static final int NULL_LENGTH = -1;

    /** The entry's own bytes, which the slices of its unnumbered strings point into. */
    byte[] entry = new byte[0];
    /** Bytes of the entry in {@link #entry}. */
    int size;
    final byte[][] arrays = new byte[FIELDS][];
    final int[] offsets = new int[FIELDS];
    final int[] lengths = new int[FIELDS];
    final boolean[] plains = new boolean[FIELDS];
    byte[][] parentArrays = new byte[1][];
    int[] parentOffsets = new int[1];
    int[] parentLengths = new int[1];
    boolean[] parentPlains = new boolean[1];
    /** -1 when the entry has no parents list at all (null), as opposed to an empty one. */
    int parentCount;
    long id;
    boolean hasUuid;
    long uuidHigh;
    long uuidLow;
    long startDate;
    long endDate;
    byte state;
    boolean carried;
    boolean userAction;
    boolean hasRetryOf;
    long retryOfHigh;
    long retryOfLow;

    /** Bytes the entry takes in the journal (and in this object): what a reader that bounds its memory counts. */
    public int size() {
        return size;
    }

    /** The bytes holding a text field, or null when the field is null. */
    public byte[] array(ActionField field) {
        return arrays[field.ordinal()];
    }

    public int offset(ActionField field) {
        return offsets[field.ordinal()];
    }

    public int length(ActionField field) {
        return lengths[field.ordinal()];
    }

    /**
     * Whether the field's bytes are known to need no escape in a JSON string (a repeated value the journal has
     * checked once); false means unknown, not "needs one".
     */
    public boolean plain(ActionField field) {
        return plains[field.ordinal()];
    }

    /** Number of parents, or -1 for no list. */
    public int parentCount() {
        return parentCount;
    }

    public byte[] parentArray(int i) {
        return parentArrays[i];
    }

    public int parentOffset(int i) {
        return parentOffsets[i];
    }

    public int parentLength(int i) {
        return parentLengths[i];
    }

    public boolean parentPlain(int i) {
        return parentPlains[i];
    }

    public long id() {
        return id;
    }

    public boolean hasUuid() {
        return hasUuid;
    }

    public long uuidHigh() {
        return uuidHigh;
    }

    public long uuidLow() {
        return uuidLow;
    }

    public long startDate() {
        return startDate;
    }

    public long endDate() {
        return endDate;
    }

    /** The state code ({@link io.actionlog.action.State#code}) the action was recorded in. */
    public byte state() {
        return state;
    }

    /** Whether retention carried this action forward ({@link Entry.Created#carried()}). */
    public boolean carried() {
        return carried;
    }

    public boolean userAction() {
        return userAction;
    }

    public boolean hasRetryOf() {
        return hasRetryOf;
    }

    public long retryOfHigh() {
        return retryOfHigh;
    }

    public long retryOfLow() {
        return retryOfLow;
    }

    void slice(ActionField field, byte[] array, int offset, int length, boolean plain) {
        int f = field.ordinal();
        arrays[f] = length == NULL_LENGTH ? null : array;
        offsets[f] = offset;
        lengths[f] = Math.max(length, 0);
        plains[f] = plain;
    }

    void parent(int i, byte[] array, int offset, int length, boolean plain) {
        if (i >= parentArrays.length) {
            int n = Math.max(i + 1, parentArrays.length * 2);
            parentArrays = java.util.Arrays.copyOf(parentArrays, n);
            parentOffsets = java.util.Arrays.copyOf(parentOffsets, n);
            parentLengths = java.util.Arrays.copyOf(parentLengths, n);
            parentPlains = java.util.Arrays.copyOf(parentPlains, n);
        }
        parentArrays[i] = length == NULL_LENGTH ? null : array;
        parentOffsets[i] = offset;
        parentLengths[i] = Math.max(length, 0);
        parentPlains[i] = plain;
    }
}
