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
    /** A {@link #numbers} entry: the text is a slice of the entry's own bytes. */
    static final int OWN = -1;
    /** A {@link #numbers} entry: the text is null. */
    static final int NULL = -2;

    private static final byte[] NONE = new byte[0];
    /** The entry's own bytes, which the slices of its unnumbered strings point into. */
    byte[] entry = NONE;
    /** Bytes of the entry in {@link #entry}. */
    int size;
    /**
     * The journal's value bytes, where a numbered text's bytes are. A text's array is found when asked for, not
     * stored per text: a reader that reuses this object (verify's batches) then stores no reference per entry, which
     * G1 would have to track between old objects.
     */
    ValueTable values;
    final int[] offsets = new int[FIELDS];
    final int[] lengths = new int[FIELDS];
    /** Per field, {@link #numbered}: the journal's value number and whether its bytes need no escape; or OWN, NULL. */
    final int[] numbers = new int[FIELDS];
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

    /**
     * What the value numbers of this entry belong to: the journal's numbering of its repeated values, in which a
     * number, once given, always stands for the same bytes. Another journal read into this holder has another.
     */
    public Object numbering() {
        return values;
    }

    /** The bytes holding a text field, or null when the field is null. */
    public byte[] array(ActionField field) {
        return array(field, numbers[field.ordinal()]);
    }

    private byte[] array(ActionField field, int number) {
        return number >= 0 ? values.utf8(field, number >>> 1) : number == OWN ? entry : null;
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
        return array(ActionField.PARENTS, parentNumbers[i]);
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

    /** {@code number}: as {@link #numbered} made it, or {@link #OWN} for a slice of the entry (null: NULL_LENGTH). */
    void slice(ActionField field, int offset, int length, int number) {
        int f = field.ordinal();
        offsets[f] = offset;
        lengths[f] = Math.max(length, 0);
        numbers[f] = length == NULL_LENGTH ? NULL : number;
    }

    void parent(int i, int offset, int length, int number) {
        if (i >= parentOffsets.length) {
            int n = Math.max(i + 1, parentOffsets.length * 2);
            parentOffsets = java.util.Arrays.copyOf(parentOffsets, n);
            parentLengths = java.util.Arrays.copyOf(parentLengths, n);
            parentNumbers = java.util.Arrays.copyOf(parentNumbers, n);
        }
        parentOffsets[i] = offset;
        parentLengths[i] = Math.max(length, 0);
        parentNumbers[i] = length == NULL_LENGTH ? NULL : number;
    }
}
