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
    /** The bit of a {@link #numbers} entry that says the value's bytes need no escape. */
    private static final int PLAIN = 1;

    private static final byte[] NONE = new byte[0];
    /** The entry's own bytes, which the slices of its unnumbered strings point into. */
    byte[] entry = NONE;
    /** Bytes of the entry in {@link #entry}. */
    int size;
    final byte[][] arrays = new byte[FIELDS][];
    final int[] offsets = new int[FIELDS];
    final int[] lengths = new int[FIELDS];
    /** Per field, {@link #numbered}: the journal's value number and whether its bytes need no escape, or -1. */
    final int[] numbers = new int[FIELDS];
    byte[][] parentArrays = new byte[1][];
    int[] parentOffsets = new int[1];
    int[] parentLengths = new int[1];
    int[] parentNumbers = new int[1];
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
        int n = numbers[field.ordinal()];
        return n >= 0 && (n & PLAIN) != 0;
    }

    /**
     * The journal's number of the field's value when its bytes are the journal's bytes of that repeated value (the
     * same number, the same bytes, for the whole journal), else -1.
     */
    public int number(ActionField field) {
        int n = numbers[field.ordinal()];
        return n < 0 ? -1 : n >>> 1;
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
        int n = parentNumbers[i];
        return n >= 0 && (n & PLAIN) != 0;
    }

    /** As {@link #number(ActionField)} for parent {@code i}. */
    public int parentNumber(int i) {
        int n = parentNumbers[i];
        return n < 0 ? -1 : n >>> 1;
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

    /** A value number and its plain flag as {@link #numbers} holds them; -1 for a slice of the entry's own bytes. */
    static int numbered(int number, boolean plain) {
        return number << 1 | (plain ? PLAIN : 0);
    }

    /** {@code number}: as {@link #numbered} made it, or -1. */
    void slice(ActionField field, byte[] array, int offset, int length, int number) {
        int f = field.ordinal();
        arrays[f] = length == NULL_LENGTH ? null : array;
        offsets[f] = offset;
        lengths[f] = Math.max(length, 0);
        numbers[f] = number;
    }

    void parent(int i, byte[] array, int offset, int length, int number) {
        if (i >= parentArrays.length) {
            int n = Math.max(i + 1, parentArrays.length * 2);
            parentArrays = java.util.Arrays.copyOf(parentArrays, n);
            parentOffsets = java.util.Arrays.copyOf(parentOffsets, n);
            parentLengths = java.util.Arrays.copyOf(parentLengths, n);
            parentNumbers = java.util.Arrays.copyOf(parentNumbers, n);
        }
        parentArrays[i] = length == NULL_LENGTH ? null : array;
        parentOffsets[i] = offset;
        parentLengths[i] = Math.max(length, 0);
        parentNumbers[i] = number;
    }
}
