package io.actionlog.journal;

/**
 * A Created entry read for rendering, without decoding its strings: each string field is a slice of UTF-8 bytes
 * (of the entry itself, or of the value's bytes kept by the journal for a repeated value), so a JSON writer can
 * copy it out as it is. Filled by {@link Journal#readCreated}; the logs, which no list shows, are not kept.
 */
public final class CreatedBytes {
    public static final int USER = 0;
    public static final int ACTION = 1;
    public static final int METHOD = 2;
    public static final int PATH = 3;
    public static final int OBJECT = 4;
    public static final int IP = 5;
    public static final int LOCATION = 6;
    public static final int USER_AGENT = 7;
    public static final int BODY = 8;
    public static final int RECORDED_BY = 9;
    /** Error and metadata as recorded; a later state change may have replaced them. */
    public static final int ERROR = 10;
    public static final int METADATA = 11;
    static final int FIELDS = 12;

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
    boolean userAction;
    boolean hasRetryOf;
    long retryOfHigh;
    long retryOfLow;

    /** Bytes the entry takes in the journal (and in this object): what a reader that bounds its memory counts. */
    public int size() {
        return size;
    }

    /** The bytes holding a string field (one of the constants above), or null when the field is null. */
    public byte[] array(int field) {
        return arrays[field];
    }

    public int offset(int field) {
        return offsets[field];
    }

    public int length(int field) {
        return lengths[field];
    }

    /**
     * Whether the field's bytes are known to need no escape in a JSON string (a repeated value the journal has
     * checked once); false means unknown, not "needs one".
     */
    public boolean plain(int field) {
        return plains[field];
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

    void slice(int field, byte[] array, int offset, int length, boolean plain) {
        arrays[field] = length < 0 ? null : array;
        offsets[field] = offset;
        lengths[field] = Math.max(length, 0);
        plains[field] = plain;
    }

    void parent(int i, byte[] array, int offset, int length, boolean plain) {
        if (i >= parentArrays.length) {
            int n = Math.max(i + 1, parentArrays.length * 2);
            parentArrays = java.util.Arrays.copyOf(parentArrays, n);
            parentOffsets = java.util.Arrays.copyOf(parentOffsets, n);
            parentLengths = java.util.Arrays.copyOf(parentLengths, n);
            parentPlains = java.util.Arrays.copyOf(parentPlains, n);
        }
        parentArrays[i] = length < 0 ? null : array;
        parentOffsets[i] = offset;
        parentLengths[i] = Math.max(length, 0);
        parentPlains[i] = plain;
    }
}
